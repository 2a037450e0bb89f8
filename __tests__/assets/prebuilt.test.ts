import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ASSETS_DIR, ASSETS_MANIFEST, AssetsManifest, fromSourceRequested, hashedZipName, lockfileHash, prebuiltAsset, sha256, sourcesHash,
} from '../../constructs/assets/prebuilt';

/** A package root with two source files, a prebuilt zip and its manifest (and optionally a lockfile). */
function fakePackage(opts: { lockfile?: string; manifestLockfile?: string } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'prebuilt-test-'));
  mkdirSync(join(root, 'lambda'), { recursive: true });
  writeFileSync(join(root, 'lambda/index.ts'), 'export const handler = 1;\n');
  writeFileSync(join(root, 'lambda/util.ts'), 'export const x = 2;\n');
  if (opts.lockfile) writeFileSync(join(root, 'package-lock.json'), opts.lockfile);
  const zip = Buffer.from('zip bytes');
  const inputs = ['lambda/util.ts', 'lambda/index.ts'];
  const manifest: AssetsManifest = {
    lockfile: opts.manifestLockfile,
    assets: { fn: { file: hashedZipName('fn', zip), sha256: sha256(zip), inputs, sources: sourcesHash(root, inputs)! } },
  };
  mkdirSync(join(root, ASSETS_DIR), { recursive: true });
  writeFileSync(join(root, ASSETS_DIR, manifest.assets.fn!.file), zip);
  writeFileSync(join(root, ASSETS_DIR, ASSETS_MANIFEST), JSON.stringify(manifest));
  return root;
}

describe('prebuilt assets', () => {
  const roots: string[] = [];
  const pkg = (opts?: Parameters<typeof fakePackage>[0]) => {
    const root = fakePackage(opts);
    roots.push(root);
    return root;
  };
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it('names a zip by its content', () => {
    expect(hashedZipName('fn', Buffer.from('a'))).toBe(`fn.${sha256('a').slice(0, 12)}.zip`);
    expect(hashedZipName('fn', Buffer.from('a'))).not.toBe(hashedZipName('fn', Buffer.from('b')));
  });

  it('is used as a consumer installs it: sources as built, no lockfile in the package', () => {
    const root = pkg({ manifestLockfile: 'whatever the build saw' });
    expect(prebuiltAsset(root, 'fn')).toBe(join(root, ASSETS_DIR, hashedZipName('fn', Buffer.from('zip bytes'))));
  });

  it('is not used once one of its source files changed or is missing, or for an unknown name', () => {
    const changed = pkg();
    writeFileSync(join(changed, 'lambda/util.ts'), 'export const x = 3;\n');
    expect(prebuiltAsset(changed, 'fn')).toBeUndefined();
    const missing = pkg();
    rmSync(join(missing, 'lambda/util.ts'));
    expect(prebuiltAsset(missing, 'fn')).toBeUndefined();
    expect(prebuiltAsset(pkg(), 'other')).toBeUndefined();
  });

  it('never picks an asset that records no sources (one synth does not use, such as the daemon bundle)', () => {
    const root = pkg();
    const manifestFile = join(root, ASSETS_DIR, ASSETS_MANIFEST);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as AssetsManifest;
    const { inputs: _inputs, sources: _sources, ...bare } = manifest.assets.fn!;
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, assets: { fn: bare } }));
    expect(prebuiltAsset(root, 'fn')).toBeUndefined();
  });

  it('is not used in a checkout whose lockfile moved on since the build, and is with the same lockfile', () => {
    const lock = '{"lockfileVersion":3}';
    expect(prebuiltAsset(pkg({ lockfile: lock, manifestLockfile: sha256('{"lockfileVersion":2}') }), 'fn')).toBeUndefined();
    const same = pkg({ lockfile: lock, manifestLockfile: sha256(lock) });
    expect(lockfileHash(same)).toBe(sha256(lock));
    expect(prebuiltAsset(same, 'fn')).toBeDefined();
  });

  it('hashes sources independently of the order they are listed in, and by content', () => {
    const root = pkg();
    expect(sourcesHash(root, ['lambda/index.ts', 'lambda/util.ts'])).toBe(sourcesHash(root, ['lambda/util.ts', 'lambda/index.ts']));
    expect(sourcesHash(root, ['lambda/index.ts'])).not.toBe(sourcesHash(root, ['lambda/util.ts']));
    expect(sourcesHash(root, ['lambda/none.ts'])).toBeUndefined();
  });

  it('bundles from source when SPOT_EKS_BUNDLE_FROM_SOURCE is 1 or true', () => {
    expect(fromSourceRequested({ SPOT_EKS_BUNDLE_FROM_SOURCE: '1' })).toBe(true);
    expect(fromSourceRequested({ SPOT_EKS_BUNDLE_FROM_SOURCE: 'TRUE' })).toBe(true);
    expect(fromSourceRequested({ SPOT_EKS_BUNDLE_FROM_SOURCE: '0' })).toBe(false);
    expect(fromSourceRequested({})).toBe(false);
  });
});
