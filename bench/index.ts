/**
 * `npm run bench`: every scenario prints its numbers; nothing here asserts (targets are in the
 * printed lines, and in the issue notes). `npm run bench -- <name>` runs one scenario.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const SCENARIOS = ['synth', 'platform', 'capacity', 'ocean', 'termination-handler', 'node-manager', 'wave'];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const name of SCENARIOS.filter((s) => only.length === 0 || only.includes(s))) {
    if (!existsSync(join(__dirname, `${name}.ts`))) continue;
    console.log(`\n## ${name}`);
    const scenario = (await import(`./${name}`)) as { run: () => Promise<void> };
    await scenario.run();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
