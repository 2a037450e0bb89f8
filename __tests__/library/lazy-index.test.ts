/**
 * scripts/lazy-index.mjs on an entry shaped as tsc emits it: named re-exports load their module on
 * first read, `export *` stays eager, and the names stay visible to Node's CommonJS export scanner.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = join(__dirname, '../../scripts/lazy-index.mjs');

describe('lazy-index', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lazy-index-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads each re-exported module when one of its exports is first read', () => {
    // Each module records that it was loaded.
    writeFileSync(join(dir, 'heavy.js'), `(globalThis.loaded ??= []).push('heavy'); exports.Heavy = class Heavy {}; exports.VALUE = 42;`);
    writeFileSync(join(dir, 'star.js'), `(globalThis.loaded ??= []).push('star'); exports.starred = 1;`);
    writeFileSync(join(dir, 'index.js'), [
      '"use strict";',
      'var __exportStar = (this && this.__exportStar) || function(m, exports) { for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) exports[p] = m[p]; };',
      'Object.defineProperty(exports, "__esModule", { value: true });',
      'exports.VALUE = exports.Heavy = void 0;',
      'var heavy_1 = require("./heavy");',
      'Object.defineProperty(exports, "Heavy", { enumerable: true, get: function () { return heavy_1.Heavy; } });',
      'Object.defineProperty(exports, "VALUE", { enumerable: true, get: function () { return heavy_1.VALUE; } });',
      '__exportStar(require("./star"), exports);',
    ].join('\n'));
    expect(execFileSync(process.execPath, [script, join(dir, 'index.js')], { encoding: 'utf8' })).toMatch(/1 modules load on first use/);

    const probe = `globalThis.loaded = []; const m = require(${JSON.stringify(join(dir, 'index.js'))});
      const atRequire = [...loaded]; const value = m.VALUE; const isClass = typeof m.Heavy === 'function';
      console.log(JSON.stringify({ atRequire, after: loaded, value, isClass, keys: Object.keys(m).sort() }));`;
    const result = JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }));
    expect(result).toEqual({ atRequire: ['star'], after: ['star', 'heavy'], value: 42, isClass: true, keys: ['Heavy', 'VALUE', 'starred'] });

    // ESM importers still see the names (cjs-module-lexer reads the defineProperty getters).
    writeFileSync(join(dir, 'esm.mjs'), `import { VALUE } from ${JSON.stringify(join(dir, 'index.js'))}; console.log(VALUE);`);
    expect(execFileSync(process.execPath, [join(dir, 'esm.mjs')], { encoding: 'utf8' }).trim()).toBe('42');
  });

  it('refuses a file without the shape it rewrites, and a second pass', () => {
    writeFileSync(join(dir, 'plain.js'), 'exports.x = 1;');
    expect(() => execFileSync(process.execPath, [script, join(dir, 'plain.js')], { stdio: 'pipe' })).toThrow(/no `var x_1 = require/);
    expect(() => execFileSync(process.execPath, [script, join(dir, 'index.js')], { stdio: 'pipe' })).toThrow(/already lazy/);
    expect(readFileSync(join(dir, 'index.js'), 'utf8').match(/function __lazyModule/g)).toHaveLength(1);
  });
});
