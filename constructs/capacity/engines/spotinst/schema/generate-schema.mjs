#!/usr/bin/env node
/**
 * Regenerates provider-schema.json — the argument schema of `spotinst_ocean_aws`,
 * `spotinst_ocean_aws_launch_spec` and the provider block — from the Go source of
 * spotinst/terraform-provider-spotinst (terraform-plugin-sdk/v2 `schema.Schema` maps).
 *
 *   node generate-schema.mjs --src <checkout of the provider at the release> --release v1.240.0
 *   node generate-schema.mjs --git-dir <clone's .git or a bare clone> --ref v1.240.0
 *
 * It reads only what the checker needs: per attribute its name (constants resolved from the
 * packages' `const` blocks), Type, Required/Optional/Computed, MaxItems/MinItems, ConflictsWith,
 * Default, Deprecated and the nested `Elem` (a primitive, or a block of attributes). The fields
 * of a resource are the `fieldsMap[...] = commons.NewGenericField(…, name, &schema.Schema{…}, …)`
 * calls of every package its `setup…Resource()` function calls `.Setup(fieldsMap)` on.
 * Anything it does not understand in a schema literal is a hard error, so a provider change that
 * this parser would misread fails loudly instead of producing a wrong snapshot.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OPEN, skipBalanced, splitTopLevel, text, tokenize } from './go-source.mjs';

const RESOURCES = {
  spotinst_ocean_aws: 'spotinst/resource_spotinst_ocean_aws.go',
  spotinst_ocean_aws_launch_spec: 'spotinst/resource_spotinst_ocean_aws_launch_spec.go',
};
const PROVIDER_FILE = 'spotinst/provider.go';

// ---------------------------------------------------------------- source access
function sourceReader(args) {
  if (args['git-dir']) {
    const gitDir = args['git-dir'];
    const ref = args.ref ?? 'HEAD';
    const git = (...a) => execFileSync('git', ['--git-dir', gitDir, ...a], { encoding: 'utf8', maxBuffer: 64 << 20 });
    return {
      commit: git('rev-parse', `${ref}^{commit}`).trim(),
      release: args.release ?? ref,
      read: (path) => git('show', `${ref}:${path}`),
      list: (dir) => git('ls-tree', '--name-only', `${ref}:${dir}`).split('\n').filter(Boolean),
    };
  }
  if (!args.src) throw new Error('give --src <provider checkout> (with --release) or --git-dir <git dir> --ref <tag>');
  if (!args.release) throw new Error('--release: the provider release the checkout is at, e.g. v1.240.0');
  let commit;
  try {
    commit = execFileSync('git', ['-C', args.src, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    commit = undefined;
  }
  return {
    commit,
    release: args.release,
    read: (path) => readFileSync(join(args.src, path), 'utf8'),
    list: (dir) => readdirSync(join(args.src, dir)),
  };
}

// ---------------------------------------------------------------- constants
/** `const ( Name Type = "value" … )` and `const Name Type = "value"` of every file in a package. */
function packageConstants(reader, dir) {
  const consts = {};
  for (const file of reader.list(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))) {
    const toks = tokenize(reader.read(`${dir}/${file}`));
    for (let i = 0; i < toks.length; i++) {
      if (toks[i].kind !== 'ident' || toks[i].value !== 'const') continue;
      let specs;
      if (toks[i + 1]?.value === '(') {
        const end = skipBalanced(toks, i + 1);
        specs = toks.slice(i + 2, end - 1);
        i = end - 1;
      } else specs = toks.slice(i + 1, i + 8);
      // Name [Type | pkg.Type] = "value"
      for (let j = 0; j < specs.length; j++) {
        if (specs[j].kind !== 'ident') continue;
        const eq = specs.slice(j + 1, j + 5).findIndex((t) => t.value === '=');
        if (eq < 0) continue;
        const value = specs[j + 1 + eq + 1];
        const typeToks = specs.slice(j + 1, j + 1 + eq);
        if (value?.kind === 'string' && typeToks.every((t) => t.kind === 'ident' || t.value === '.')) {
          consts[specs[j].value] = value.value;
          j = j + 1 + eq + 1;
        }
      }
    }
  }
  return consts;
}

function makeResolver(reader, ownDir) {
  const cache = new Map();
  const constsOf = (dir) => {
    if (!cache.has(dir)) cache.set(dir, packageConstants(reader, dir));
    return cache.get(dir);
  };
  /** A name expression: "lit", string(X), string(pkg.X), X, pkg.X. */
  return function resolve(toks) {
    let t = toks;
    if (t[0]?.value === 'string' && t[1]?.value === '(' && t.at(-1)?.value === ')') t = t.slice(2, -1);
    if (t.length === 1 && t[0].kind === 'string') return t[0].value;
    if (t.length === 1 && t[0].kind === 'ident') {
      const v = constsOf(ownDir)[t[0].value];
      if (v !== undefined) return v;
    }
    if (t.length === 3 && t[1].value === '.') {
      const v = constsOf(`spotinst/${t[0].value}`)[t[2].value];
      if (v !== undefined) return v;
    }
    throw new Error(`cannot resolve the name ${text(toks)} (package ${ownDir})`);
  };
}

// ---------------------------------------------------------------- schema literals
const TYPES = { TypeString: 'string', TypeInt: 'int', TypeFloat: 'float', TypeBool: 'bool', TypeList: 'list', TypeSet: 'set', TypeMap: 'map' };
const IGNORED = new Set(['Description', 'ValidateFunc', 'ValidateDiagFunc', 'DiffSuppressFunc', 'DiffSuppressOnRefresh', 'StateFunc', 'Set', 'DefaultFunc', 'ForceNew', 'InputDefault']);

/** The elements of the composite literal whose `{` is at `open`: [keyTokens, valueTokens][]. */
function literalElements(tokens, open) {
  const end = skipBalanced(tokens, open);
  return splitTopLevel(tokens, open + 1, end - 1).map((el) => {
    for (let i = 0; i < el.length; ) {
      const t = el[i];
      if (t.kind === 'op' && OPEN[t.value]) { i = skipBalanced(el, i); continue; }
      if (t.kind === 'op' && t.value === ':') return [el.slice(0, i), el.slice(i + 1)];
      i++;
    }
    throw new Error(`expected key: value in ${text(el)}`);
  });
}

const startsWith = (toks, ...values) => values.every((v, i) => toks[i]?.value === v);
const literal = (toks) => {
  if (toks.length === 1 && (toks[0].kind === 'number' || toks[0].kind === 'string')) return toks[0].value;
  if (toks.length === 1 && (toks[0].value === 'true' || toks[0].value === 'false')) return toks[0].value === 'true';
  if (toks.length === 2 && toks[0].value === '-' && toks[1].kind === 'number') return -toks[1].value;
  return undefined;
};

/** `{ Type: …, … }` (the tokens of a `*schema.Schema` literal, with or without `&schema.Schema`). */
function parseSchema(toks, resolve, where) {
  let open = 0;
  if (startsWith(toks, '&', 'schema', '.', 'Schema', '{')) open = 4;
  else if (startsWith(toks, 'schema', '.', 'Schema', '{')) open = 3;
  else if (!startsWith(toks, '{')) throw new Error(`${where}: expected a schema.Schema literal, got ${text(toks.slice(0, 8))}`);
  if (skipBalanced(toks, open) !== toks.length) throw new Error(`${where}: trailing tokens after the schema literal`);
  const out = {};
  for (const [keyToks, value] of literalElements(toks, open)) {
    const key = keyToks.map((t) => t.value).join('');
    switch (key) {
      case 'Type':
        if (!startsWith(value, 'schema', '.') || !TYPES[value[2]?.value]) throw new Error(`${where}: unknown Type ${text(value)}`);
        out.type = TYPES[value[2].value];
        break;
      case 'Required': case 'Optional': case 'Computed': case 'Sensitive':
        if (typeof literal(value) !== 'boolean') throw new Error(`${where}: ${key} is not a literal bool`);
        if (literal(value)) out[key.toLowerCase()] = true;
        break;
      case 'MaxItems': case 'MinItems':
        if (typeof literal(value) !== 'number') throw new Error(`${where}: ${key} is not a literal number`);
        out[key[0].toLowerCase() + key.slice(1)] = literal(value);
        break;
      case 'ConflictsWith': case 'ExactlyOneOf': case 'AtLeastOneOf': case 'RequiredWith': {
        if (!startsWith(value, '[', ']', 'string', '{')) throw new Error(`${where}: ${key} is not a []string literal`);
        const items = splitTopLevel(value, 4, skipBalanced(value, 3) - 1).map(resolve);
        out[key[0].toLowerCase() + key.slice(1)] = items.sort();
        break;
      }
      case 'Default':
        if (literal(value) !== undefined) out.default = literal(value);
        break;
      case 'Deprecated':
        out.deprecated = literal(value) ?? text(value);
        break;
      case 'Elem':
        out.elem = parseElem(value, resolve, where);
        break;
      case 'ConfigMode':
        throw new Error(`${where}: ConfigMode changes how blocks are written; teach the generator about it`);
      default:
        if (!IGNORED.has(key)) throw new Error(`${where}: unknown schema key ${key}`);
    }
  }
  if (!out.type) throw new Error(`${where}: no Type`);
  return out;
}

function parseElem(toks, resolve, where) {
  if (startsWith(toks, '&', 'schema', '.', 'Schema', '{')) {
    const s = parseSchema(toks, resolve, `${where}.elem`);
    return { type: s.type, ...(s.elem ? { elem: s.elem } : {}) };
  }
  if (startsWith(toks, '&', 'schema', '.', 'Resource', '{')) {
    const elements = literalElements(toks, 4);
    const schemaEl = elements.find(([k]) => k[0]?.value === 'Schema');
    if (!schemaEl || elements.length !== 1) throw new Error(`${where}: a schema.Resource elem must hold only Schema`);
    return { block: parseSchemaMap(schemaEl[1], resolve, where) };
  }
  throw new Error(`${where}: unknown Elem ${text(toks.slice(0, 8))}`);
}

/** `map[string]*schema.Schema{ name: {…}, … }` */
function parseSchemaMap(toks, resolve, where) {
  if (!startsWith(toks, 'map', '[', 'string', ']', '*', 'schema', '.', 'Schema', '{')) throw new Error(`${where}: expected map[string]*schema.Schema, got ${text(toks.slice(0, 9))}`);
  const block = {};
  for (const [keyToks, value] of literalElements(toks, 8)) {
    const name = resolve(keyToks);
    if (block[name]) throw new Error(`${where}.${name}: defined twice`);
    block[name] = parseSchema(value, resolve, `${where}.${name}`);
  }
  return sortKeys(block);
}

function sortKeys(obj) {
  return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, obj[k]]));
}

// ---------------------------------------------------------------- resources and provider
/** Packages whose `Setup(fieldsMap)` a resource file's setup function calls. */
function setupPackages(reader, resourceFile) {
  const toks = tokenize(reader.read(resourceFile));
  const pkgs = [];
  for (let i = 0; i + 5 < toks.length; i++) {
    if (toks[i].kind === 'ident' && startsWith(toks.slice(i + 1), '.', 'Setup', '(', 'fieldsMap', ')')) pkgs.push(toks[i].value);
  }
  if (pkgs.length === 0) throw new Error(`${resourceFile}: no <package>.Setup(fieldsMap) calls`);
  return pkgs;
}

function resourceSchema(reader, resourceFile, files) {
  const attributes = {};
  for (const pkg of setupPackages(reader, resourceFile)) {
    const dir = `spotinst/${pkg}`;
    const resolve = makeResolver(reader, dir);
    for (const file of reader.list(dir).filter((f) => f.startsWith('fields_') && f.endsWith('.go'))) {
      files.push(`${dir}/${file}`);
      const toks = tokenize(reader.read(`${dir}/${file}`));
      for (let i = 0; i < toks.length; i++) {
        if (!(toks[i].value === 'NewGenericField' && toks[i - 2]?.value === 'commons' && toks[i + 1]?.value === '(')) continue;
        const end = skipBalanced(toks, i + 1);
        const args = splitTopLevel(toks, i + 2, end - 1);
        const name = resolve(args[1]);
        if (attributes[name]) throw new Error(`${resourceFile}: ${name} defined twice (${dir})`);
        attributes[name] = parseSchema(args[2], resolve, `${dir}:${name}`);
        i = end - 1;
      }
    }
  }
  return sortKeys(attributes);
}

function providerSchema(reader, files) {
  files.push(PROVIDER_FILE);
  const toks = tokenize(reader.read(PROVIDER_FILE));
  const at = toks.findIndex((t, i) => t.value === 'Schema' && toks[i + 1]?.value === ':' && toks[i + 2]?.value === 'map');
  if (at < 0) throw new Error(`${PROVIDER_FILE}: no Schema: map[…]`);
  const end = skipBalanced(toks, at + 10);
  return parseSchemaMap(toks.slice(at + 2, end), makeResolver(reader, 'spotinst/commons'), 'provider');
}

export function generate(reader) {
  const files = [];
  const resources = {};
  for (const [name, file] of Object.entries(RESOURCES)) {
    files.push(file);
    resources[name] = resourceSchema(reader, file, files);
  }
  return {
    $comment: 'Generated by generate-schema.mjs from the provider source; do not edit by hand.',
    source: 'github.com/spotinst/terraform-provider-spotinst',
    registrySource: 'spotinst/spotinst',
    release: reader.release,
    ...(reader.commit ? { commit: reader.commit } : {}),
    files: [...new Set(files)].sort(),
    provider: providerSchema(reader, files),
    resources,
  };
}

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--')) throw new Error(`unexpected argument ${argv[i]}`);
    args[argv[i].slice(2)] = argv[i + 1];
  }
  return args;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const out = args.out ?? join(dirname(fileURLToPath(import.meta.url)), 'provider-schema.json');
  const schema = generate(sourceReader(args));
  writeFileSync(out, `${JSON.stringify(schema, null, 2)}\n`);
  const count = (attrs) => Object.keys(attrs).length;
  process.stdout.write(`${out}: ${schema.release}; provider ${count(schema.provider)} arguments; ${Object.entries(schema.resources).map(([n, a]) => `${n} ${count(a)}`).join(', ')}\n`);
}
