import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { crc32, zipSync } from '../../constructs/assets/zip';
import { readZipEntry } from '../library/support/zip';

const hasUnzip = (() => {
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('zipSync', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zip-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('computes the IEEE CRC-32 (check value of "123456789", and of nothing)', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it('round-trips any files, byte for byte, and is reproducible', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9._-]{0,20}$/), fc.uint8Array({ maxLength: 4096 })), { selector: ([n]) => n, minLength: 1, maxLength: 4 }), (entries) => {
        const files = entries.map(([name, data]) => ({ name, data: Buffer.from(data) }));
        const zip = zipSync(files);
        expect(zipSync(files).equals(zip)).toBe(true); // no clock, no randomness
        const archive = join(dir, 'a.zip');
        writeFileSync(archive, zip);
        for (const { name, data } of files) expect(readZipEntry(archive, name).equals(data)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  (hasUnzip ? it : it.skip)('is a valid archive for Info-ZIP: entries, sizes, CRCs and rw-r--r-- files', () => {
    const archive = join(dir, 'lambda.zip');
    writeFileSync(archive, zipSync([{ name: 'index.js', data: Buffer.from('exports.handler = async () => 1;\n'.repeat(100)) }, { name: 'index.js.map', data: Buffer.from('{}') }]));
    expect(execFileSync('unzip', ['-t', archive], { encoding: 'utf8' })).toMatch(/No errors detected/);
    const listing = execFileSync('zipinfo', [archive], { encoding: 'utf8' });
    expect(listing).toMatch(/-rw-r--r--.* index\.js\n/);
    expect(listing).toMatch(/2 files/);
  });
});
