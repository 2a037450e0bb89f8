import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedBuild, cachedBuildAsync } from '../../constructs/interruption/node-bundle';

const mkdirpWrite = (file: string, data: string) => {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, data);
};

/** A "build" that copies `source` into its folder and counts its runs. */
function copier(source: string) {
  const runs = { count: 0 };
  const build = (dir: string): string[] => {
    runs.count += 1;
    mkdirpWrite(join(dir, 'out.txt'), readFileSync(source, 'utf8'));
    return [source];
  };
  return { runs, build };
}

describe('cachedBuild', () => {
  const work = mkdtempSync(join(tmpdir(), 'bundle-cache-test-'));
  const keys: string[] = [];
  const key = () => {
    keys.push(`test-${randomUUID().slice(0, 8)}`);
    return keys.at(-1)!;
  };
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    for (const k of keys) rmSync(join(tmpdir(), `spot-ready-eks-${k}`), { recursive: true, force: true });
  });

  it('builds once, reuses the build while its inputs are unchanged, and rebuilds after one changed', () => {
    const source = join(work, 'a.ts');
    writeFileSync(source, 'one');
    const { runs, build } = copier(source);
    const k = key();
    const first = cachedBuild(k, build);
    expect(readFileSync(join(first, 'out.txt'), 'utf8')).toBe('one');
    expect(cachedBuild(k, build)).toBe(first);
    expect(runs.count).toBe(1);

    writeFileSync(source, 'two!'); // a new size (and modification time)
    const second = cachedBuild(k, build);
    expect(runs.count).toBe(2);
    expect(readFileSync(join(second, 'out.txt'), 'utf8')).toBe('two!');
  });

  it('rebuilds when an input is gone, and keeps different keys apart', async () => {
    const source = join(work, 'b.ts');
    writeFileSync(source, 'b');
    const { runs, build } = copier(source);
    const [k1, k2] = [key(), key()];
    await cachedBuildAsync(k1, async (dir) => build(dir));
    await cachedBuildAsync(k2, async (dir) => build(dir));
    expect(runs.count).toBe(2);
    await cachedBuildAsync(k1, async (dir) => build(dir));
    expect(runs.count).toBe(2);

    rmSync(source);
    writeFileSync(join(work, 'b2.ts'), 'b2');
    const rebuilt = await cachedBuildAsync(k1, async (dir) => {
      runs.count += 1;
      mkdirpWrite(join(dir, 'out.txt'), 'b2');
      return [join(work, 'b2.ts')];
    });
    expect(runs.count).toBe(3);
    expect(readFileSync(join(rebuilt, 'out.txt'), 'utf8')).toBe('b2');
  });
});
