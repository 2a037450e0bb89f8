#!/usr/bin/env node
// Fails on an index import of a cdktf provider: `@cdktf/provider-aws` loads all ~2,200 resources
// (seconds and hundreds of MB per process); `@cdktf/provider-aws/lib/<resource>` loads one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = process.argv[2] ?? process.cwd();
const skip = new Set(['node_modules', 'cdktf.out', 'dist', '.git', 'coverage']);
const indexImport =
  /(?:from\s*|require\s*\(\s*|import\s*\(\s*|import\s+)['"](@cdktf\/provider-(?:aws|kubernetes|helm))(?:\/lib)?\/?['"]/g;

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    if (skip.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(name)) yield path;
  }
}

const offences = [];
for (const file of sources(root)) {
  readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    for (const m of line.matchAll(indexImport)) {
      offences.push(`${relative(root, file)}:${i + 1}: index import of '${m[1]}' — import the resource module instead, e.g. '${m[1]}/lib/provider'`);
    }
  });
}
if (offences.length > 0) {
  console.error(offences.join('\n'));
  console.error(`\n${offences.length} index import(s) of a cdktf provider. Deep imports only (see README).`);
  process.exit(1);
}
console.log('deep-import check: no index imports of cdktf providers');
