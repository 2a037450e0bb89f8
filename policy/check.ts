/**
 * `npm run policy`: checks every synthesized stack under cdktf.out (run `npm run synth` first)
 * against policy/rules.ts. Exits 1 naming each resource and rule that fails.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkStack, RULES } from './rules';

const stacksDir = join(process.argv[2] ?? 'cdktf.out', 'stacks');
if (!existsSync(stacksDir)) {
  console.error(`${stacksDir} not found: run \`npm run synth\` first`);
  process.exit(2);
}
let failures = 0;
for (const stack of readdirSync(stacksDir)) {
  const violations = checkStack(JSON.parse(readFileSync(join(stacksDir, stack, 'cdk.tf.json'), 'utf8')));
  failures += violations.length;
  for (const x of violations) console.error(`${stack}: [${x.rule}] ${x.resource}: ${x.message}`);
  console.log(`${stack}: ${violations.length === 0 ? 'ok' : `${violations.length} violation(s)`} (${RULES.length} rules)`);
}
process.exit(failures === 0 ? 0 : 1);
