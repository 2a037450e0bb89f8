/**
 * One synth per distinct input in a whole test run, shared by every test file and worker: the
 * result is kept in the worker's memory and written as JSON to the run's cache folder (made and
 * removed by ./global-setup.ts, passed to the workers as SYNTH_CACHE_DIR).
 * The key is the kind plus the canonical JSON of the input, so any helper that synthesizes from a
 * plain-data input (a config, a props object) can share its result the same way. Outside a test
 * run (no SYNTH_CACHE_DIR) only the in-memory cache is used.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SYNTH_CACHE_ENV = 'SYNTH_CACHE_DIR';

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` share a key. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

/** A cache with its own memory, sharing the run's cache folder: what one test worker holds. */
export function createSynthCache(): <T>(kind: string, input: unknown, synth: () => T) => T {
  const memory = new Map<string, unknown>();
  return function cachedSynth<T>(kind: string, input: unknown, synth: () => T): T {
    const key = `${kind}-${createHash('sha256').update(canonicalJson(input)).digest('hex').slice(0, 24)}`;
    if (memory.has(key)) return structuredClone(memory.get(key) as T);
    const dir = process.env[SYNTH_CACHE_ENV];
    const file = dir && join(dir, `${key}.json`);
    let result: T;
    if (file && existsSync(file)) {
      result = JSON.parse(readFileSync(file, 'utf8')) as T;
    } else {
      result = synth();
      if (file) {
        const partial = `${file}.${process.pid}`;
        writeFileSync(partial, JSON.stringify(result));
        renameSync(partial, file); // atomic: another worker sees all of it or nothing
      }
    }
    memory.set(key, result);
    return structuredClone(result); // callers may mutate what they get
  };
}

/** `synth()`'s result for (`kind`, `input`): from this worker's memory, from the run's cache folder, or computed and stored. */
export const cachedSynth = createSynthCache();
