import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sha256 } from '../../constructs/assets/prebuilt';
import { bundleNodeEntry } from '../../constructs/interruption/node-bundle';
import { TERMINATION_HANDLER_ENTRY, terminationHandlerZip } from '../../constructs/interruption/termination-handler-code';
import { packageRoot } from '../../constructs/package-paths';
import { readZipEntry } from '../library/support/zip';

describe('the termination Lambda deployment zip', () => {
  it('built from source: named by its content, holding the bundle and its map', () => {
    const zip = terminationHandlerZip(true);
    const bytes = readFileSync(zip);
    expect(basename(zip)).toBe(`termination-handler.${sha256(bytes).slice(0, 12)}.zip`);
    const bundle = bundleNodeEntry(join(packageRoot(), TERMINATION_HANDLER_ENTRY), packageRoot());
    expect(readZipEntry(zip, 'index.js').equals(readFileSync(join(bundle, 'index.js')))).toBe(true);
    expect(JSON.parse(readZipEntry(zip, 'index.js.map').toString('utf8')).sources).toContain('lambda/termination-handler/index.ts');
  });

  it('is the same file name and bytes whether the prebuilt one (after `npm run build`) or a source build is used', () => {
    const chosen = terminationHandlerZip();
    const fromSource = terminationHandlerZip(true);
    expect(basename(chosen)).toBe(basename(fromSource));
    expect(readFileSync(chosen).equals(readFileSync(fromSource))).toBe(true);
  });
});
