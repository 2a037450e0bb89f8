/** The run-wide synth cache the platform tests share (and other helpers may use with `cachedSynth`). */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, createSynthCache, SYNTH_CACHE_ENV } from './synth-cache';

describe('cachedSynth', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synth-cache-test-'));
  const saved = process.env[SYNTH_CACHE_ENV];
  beforeAll(() => (process.env[SYNTH_CACHE_ENV] = dir));
  afterAll(() => {
    process.env[SYNTH_CACHE_ENV] = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('keys by content: object key order does not matter, values and nesting do', () => {
    expect(canonicalJson({ a: 1, b: { c: [2, { e: 1, d: 0 }] } })).toBe(canonicalJson({ b: { c: [2, { d: 0, e: 1 }] }, a: 1 }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: 2 }));
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
  });

  it('synthesizes once per distinct input across workers, and hands out copies', () => {
    const synth = vi.fn((n: number) => ({ stacks: { n, list: [n] } }));
    const first = createSynthCache(); // one worker
    const a = first('kind', { n: 1, z: true }, () => synth(1));
    a.stacks.list.push(99); // a caller mutating its result must not change what others get
    const b = first('kind', { z: true, n: 1 }, () => synth(1));
    const fromDisk = createSynthCache()('kind', { n: 1, z: true }, () => synth(1));
    expect(synth).toHaveBeenCalledTimes(1);
    expect(b).toEqual({ stacks: { n: 1, list: [1] } });
    expect(fromDisk).toEqual(b);

    createSynthCache()('kind', { n: 2, z: true }, () => synth(2));
    createSynthCache()('other-kind', { n: 1, z: true }, () => synth(1));
    expect(synth).toHaveBeenCalledTimes(3);
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(3);
  });

  it('does not cache a synth that throws', () => {
    const cachedSynth = createSynthCache();
    const failing = () => {
      throw new Error('invalid config');
    };
    expect(() => cachedSynth('kind', { bad: true }, failing)).toThrow('invalid config');
    expect(cachedSynth('kind', { bad: true }, () => 'fixed')).toBe('fixed');
  });
});
