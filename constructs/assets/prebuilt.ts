/**
 * The bundles the published package ships prebuilt (`dist/assets/`, written by `npm run build`,
 * which `npm pack` runs), and how a synth chooses between them and a build from source.
 *
 * A prebuilt asset is used only while it still matches what it was built from: the hash of its own
 * source files (the package's, listed in the manifest; dependencies from node_modules are not
 * hashed — a consumer does not install them) and, in a development checkout, the lockfile. So a
 * consumer's synth needs neither esbuild nor the AWS SDK, and this repository's synth and tests
 * rebuild from source (cached by the source files) as soon as a source file or dependency changes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the prebuilt assets and their manifest live, relative to the package root. */
export const ASSETS_DIR = join('dist', 'assets');
export const ASSETS_MANIFEST = 'manifest.json';
/** Set to `1` (or `true`) to bundle every asset from source at synth (needs esbuild and the bundled dependencies). */
export const FROM_SOURCE_ENV = 'SPOT_EKS_BUNDLE_FROM_SOURCE';

export interface PrebuiltAsset {
  /** Path relative to {@link ASSETS_DIR}; the name carries the start of the content hash. */
  readonly file: string;
  /** sha256 (hex) of the file, or of every file of a folder asset (see `files`). */
  readonly sha256: string;
  /**
   * For an asset synth picks up: its own source files (package-relative) and the sha256 of their
   * contents ({@link sourcesHash}). Absent for an asset synth never uses (the daemon's bundle).
   */
  readonly inputs?: readonly string[];
  readonly sources?: string;
  /** For a folder asset: each file's sha256. */
  readonly files?: Readonly<Record<string, string>>;
}

export interface AssetsManifest {
  /** sha256 of package-lock.json when built in a checkout that has one (npm never packs it). */
  readonly lockfile?: string;
  readonly assets: Readonly<Record<string, PrebuiltAsset>>;
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `<name>.<first 12 hex of sha256>.zip`: the name of a zip asset, prebuilt or built at synth alike. */
export function hashedZipName(name: string, zip: Buffer): string {
  return `${name}.${sha256(zip).slice(0, 12)}.zip`;
}

/** sha256 over the package-relative paths and contents of `inputs`; undefined if one is missing. */
export function sourcesHash(root: string, inputs: readonly string[]): string | undefined {
  const hash = createHash('sha256');
  for (const input of [...inputs].sort()) {
    const file = join(root, input);
    if (!existsSync(file)) return undefined;
    hash.update(`${input}\0`).update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

export function lockfileHash(root: string): string | undefined {
  const lockfile = join(root, 'package-lock.json');
  return existsSync(lockfile) ? sha256(readFileSync(lockfile)) : undefined;
}

export function readAssetsManifest(root: string): AssetsManifest | undefined {
  const file = join(root, ASSETS_DIR, ASSETS_MANIFEST);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as AssetsManifest) : undefined;
}

/** The absolute path of prebuilt asset `name` when it matches the package's sources, else undefined. */
export function prebuiltAsset(root: string, name: string): string | undefined {
  const manifest = readAssetsManifest(root);
  const asset = manifest?.assets[name];
  if (!asset) return undefined;
  const file = join(root, ASSETS_DIR, asset.file);
  if (!existsSync(file)) return undefined;
  const lockfile = lockfileHash(root); // only a development checkout has one
  if (lockfile !== undefined && lockfile !== manifest.lockfile) return undefined; // its dependencies moved on
  if (!asset.inputs?.length || !asset.sources) return undefined;
  return sourcesHash(root, asset.inputs) === asset.sources ? file : undefined;
}

/** Whether the environment asks for every asset to be bundled from source. */
export function fromSourceRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true)$/i.test(env[FROM_SOURCE_ENV] ?? '');
}
