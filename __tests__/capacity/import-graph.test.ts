/** No module of the capacity model imports itself back through others (type imports included). */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const ROOT = join(__dirname, '../../constructs/capacity');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function localImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)';/gms)]
    .map((m) => normalize(join(dirname(file), m[1])))
    .map((target) => [`${target}.ts`, join(target, 'index.ts')].find((candidate) => existsSync(candidate)))
    .filter((target): target is string => target !== undefined && target.startsWith(ROOT));
}

/** Every cycle found by a depth-first walk, as module paths relative to constructs/capacity. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const walk = (node: string, path: string[]) => {
    if (path.includes(node)) {
      found.push([...path.slice(path.indexOf(node)), node].map((p) => relative(ROOT, p)));
      return;
    }
    if (done.has(node)) return;
    for (const next of graph.get(node) ?? []) walk(next, [...path, node]);
    done.add(node);
  };
  for (const node of graph.keys()) walk(node, []);
  return found;
}

it('constructs/capacity has no import circle', () => {
  expect(cycles(new Map(files(ROOT).map((f) => [f, localImports(f)])))).toEqual([]);
});

it('the check finds a circle, as user-data had one (index → al2023 → index for NodeBootstrap)', () => {
  const [index, al2023, mime] = ['user-data/index.ts', 'user-data/al2023.ts', 'user-data/mime.ts'].map((f) => join(ROOT, f));
  expect(cycles(new Map([[index, [al2023]], [al2023, [index, mime]], [mime, []]]))).toEqual([['user-data/index.ts', 'user-data/al2023.ts', 'user-data/index.ts']]);
  expect(localImports(index)).toContain(al2023);
});
