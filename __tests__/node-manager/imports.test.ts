/**
 * The daemon's modules import each other without a circle (type-only imports count: a circle
 * through a type still ties the modules' order and hides layering mistakes). Relative imports only.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = join(__dirname, '..', '..', 'images', 'node-manager', 'src');
const IMPORT = /(?:import|export)\s[^'";]*?from\s+'(\.[^']+)'|import\('(\.[^']+)'\)/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

function importsOf(file: string, root: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(IMPORT)]
    .map((m) => resolve(dirname(file), m[1] ?? m[2]))
    .map((base) => [`${base}.ts`, join(base, 'index.ts')].find(existsSync))
    .filter((f): f is string => f !== undefined && f.startsWith(root));
}

function findCycles(root: string): string[][] {
  const files = sources(root);
  const graph = new Map(files.map((f) => [f, importsOf(f, root)]));
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'visiting') {
      cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(root, f)));
      return;
    }
    state.set(file, 'visiting');
    for (const dep of graph.get(file) ?? []) visit(dep, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of files) visit(file, []);
  return cycles;
}

describe('node-manager module graph', () => {
  it('has no import circle', () => {
    expect(sources(SRC).length).toBeGreaterThan(20);
    expect(findCycles(SRC)).toEqual([]);
  });

  it('finds a circle through a type-only import and a lazy import (drain/index ↔ drain/run, as it was)', () => {
    const root = mkdtempSync(join(tmpdir(), 'cycles-'));
    try {
      mkdirSync(join(root, 'drain'));
      writeFileSync(join(root, 'drain', 'index.ts'), "export type R = 1;\nexport const load = () => import('./run');\n");
      writeFileSync(join(root, 'drain', 'run.ts'), "import type { R } from './index';\nexport const r: R = 1;\n");
      expect(findCycles(root)).toEqual([['drain/index.ts', 'drain/run.ts', 'drain/index.ts']]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
