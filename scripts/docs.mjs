#!/usr/bin/env node
// The API reference, from TSDoc: api-extractor reads the published entry (dist/constructs/index.d.ts,
// so build first — `npm run docs` does) into a doc model; scripts/docs/render.mjs renders it as ONE
// Markdown file per entry point (docs/api/spot-ready-eks.md).
//   node scripts/docs.mjs           regenerate docs/api/
//   node scripts/docs.mjs --check   regenerate into a temporary folder; exit 1 naming every stale file
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderReference } from './docs/render.mjs';

const require = createRequire(import.meta.url);
const { Extractor, ExtractorConfig } = require('@microsoft/api-extractor');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const docs = join(root, 'docs', 'api');
const check = process.argv.includes('--check');

/**
 * Our comments say `@default x` (the jsii/CDK habit); TSDoc and api-documenter know `@defaultValue`.
 * Copy the declarations (under dist/, so packages still resolve) with the tag renamed and the value
 * as code: `@default - words` → `@defaultValue words`, `@default { a: 1 }` → `@defaultValue \`{ a: 1 }\``.
 */
function tsdocDeclarations() {
  const dist = join(root, 'dist');
  const out = join(dist, '.tsdoc');
  rmSync(out, { recursive: true, force: true });
  for (const name of files(dist).filter((f) => f.endsWith('.d.ts') && !f.startsWith('.tsdoc'))) {
    const text = readFileSync(join(dist, name), 'utf8').replace(/@default(?!Value)[ \t]+(.*?)(?=\s*\*\/|[ \t]*$)/gm, (_, value) =>
      value.startsWith('- ') ? `@defaultValue ${value.slice(2)}` : `@defaultValue \`${value.replace(/`/g, '')}\``);
    mkdirSync(dirname(join(out, name)), { recursive: true });
    writeFileSync(join(out, name), text);
  }
  return out;
}

/** Runs api-extractor into `modelDir`; prints a one-line summary per kind of warning instead of each one. */
function extract(modelDir) {
  const file = join(root, 'api-extractor.json');
  const configObject = ExtractorConfig.loadFile(file);
  configObject.mainEntryPointFilePath = join(tsdocDeclarations(), 'constructs', 'index.d.ts');
  configObject.docModel = { ...configObject.docModel, enabled: true, apiJsonFilePath: join(modelDir, '<unscopedPackageName>.api.json') };
  const config = ExtractorConfig.prepare({ configObject, configObjectFullPath: file, packageJsonFullPath: join(root, 'package.json') });
  const warnings = new Map();
  const result = Extractor.invoke(config, {
    localBuild: true,
    messageCallback(message) {
      if (message.logLevel === 'warning' || message.logLevel === 'error') {
        const where = message.sourceFilePath ? `${relative(root, message.sourceFilePath)}:${message.sourceFileLine}` : '';
        warnings.set(message.messageId, [...(warnings.get(message.messageId) ?? []), `${message.text} ${where}`.trim()]);
      }
      message.handled = true;
    },
  });
  for (const [id, texts] of warnings) console.warn(`api-extractor ${id} ×${texts.length}:\n  ${(process.env.DOCS_VERBOSE ? texts : texts.slice(0, 1)).join("\n  ")}`);
  if (!result.succeeded) throw new Error(`api-extractor failed with ${result.errorCount} error(s)`);
}

/** Renders the doc model in `modelDir` to one Markdown file per entry point in `outDir`. */
function render(modelDir, outDir) {
  mkdirSync(outDir, { recursive: true });
  for (const model of files(modelDir).filter((f) => f.endsWith('.api.json'))) {
    for (const [name, text] of renderReference(join(modelDir, model))) writeFileSync(join(outDir, name), text);
  }
}

function files(dir, base = dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name), base) : [relative(base, join(dir, e.name))])).sort();
}

/** Files that differ between the committed docs and a fresh render, as `docs/api/<file> (why)`. */
function stale(committed, fresh) {
  const names = new Set([...files(committed), ...files(fresh)]);
  return [...names].sort().flatMap((name) => {
    const [a, b] = [join(committed, name), join(fresh, name)];
    if (!existsSync(a)) return [`docs/api/${name} (missing)`];
    if (!existsSync(b)) return [`docs/api/${name} (no longer generated)`];
    return readFileSync(a, 'utf8') === readFileSync(b, 'utf8') ? [] : [`docs/api/${name} (out of date)`];
  });
}

const work = mkdtempSync(join(tmpdir(), 'spot-ready-eks-docs-'));
try {
  const [model, out] = [join(work, 'model'), join(work, 'api')];
  extract(model);
  render(model, out);
  if (check) {
    const differences = stale(docs, out);
    if (differences.length > 0) {
      console.error(`docs/api is stale; run \`npm run docs\` and commit:\n${differences.map((d) => `  ${d}`).join('\n')}`);
      process.exitCode = 1;
    } else {
      console.log(`docs/api is up to date (${files(out).length} files)`);
    }
  } else {
    rmSync(docs, { recursive: true, force: true });
    cpSync(out, docs, { recursive: true });
    console.log(`docs/api: ${files(docs).length} files written`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
  rmSync(join(root, 'dist', '.tsdoc'), { recursive: true, force: true });
}
