#!/usr/bin/env node
// `npm run build` step: makes the published entry (dist/constructs/index.js) load each module on
// first use. tsc compiles `export { X } from './x'` to `var x_1 = require("./x")` plus a getter
// reading `x_1.X`; this turns each such require into a proxy that requires the module when a
// getter first reads it, so `require('spot-ready-eks')` costs almost nothing and a consumer's
// synth loads only the constructs (and provider resources) it uses. `export *` stays eager (its
// names must be known up front). Fails when the file no longer has the shape it expects.
//   node scripts/lazy-index.mjs [dist/constructs/index.js]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const file = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'constructs', 'index.js');
const source = readFileSync(file, 'utf8');
const REQUIRE = /^var (\w+) = require\(("[^"]+")\);$/gm;
const count = [...source.matchAll(REQUIRE)].length;
if (count === 0 || source.includes('__lazyModule')) throw new Error(`${file}: no \`var x_1 = require("…")\` lines to make lazy (or already lazy)`);

const helper = `
/** The module at \`load()\`, required when one of its exports is first read. */
function __lazyModule(load) {
    var loaded;
    return new Proxy({}, { get: function (_, key) { return (loaded || (loaded = load()))[key]; } });
}
`;
const lazy = source
  .replace(REQUIRE, (_, name, path) => `var ${name} = __lazyModule(function () { return require(${path}); });`)
  .replace(/^Object\.defineProperty\(exports, "__esModule", \{ value: true \}\);$/m, (line) => `${line}${helper}`);
if (!lazy.includes('function __lazyModule')) throw new Error(`${file}: no __esModule marker to put the lazy loader after`);
writeFileSync(file, lazy);
console.log(`${file}: ${count} modules load on first use`);
