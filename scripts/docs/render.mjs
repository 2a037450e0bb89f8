// Renders an api-extractor doc model (<package>.api.json) as ONE Markdown reference per entry point:
// every export with its signature, TSDoc summary and remarks, and for classes and interfaces a table
// of members (type, default, description). Links between items become in-page anchors.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { ApiModel, ApiItemKind } = require('@microsoft/api-extractor-model');
const { DocNodeKind } = require('@microsoft/tsdoc');

const KIND_ORDER = ['Class', 'Interface', 'Function', 'TypeAlias', 'Variable', 'Enum', 'Namespace'];
const KIND_TITLE = { Class: 'Classes', Interface: 'Interfaces', Function: 'Functions', TypeAlias: 'Types', Variable: 'Constants', Enum: 'Enums', Namespace: 'Namespaces' };

const anchor = (item) => item.getScopedNameWithinPackage().toLowerCase().replace(/[^a-z0-9]+/g, '-');
const oneLine = (text) => text.replace(/\s+/g, ' ').trim();
const cell = (text) => oneLine(text).replace(/\|/g, '\\|');

/** TSDoc nodes → Markdown. `resolve` turns a {@link} target into an anchor when it names an export. */
function renderDoc(node, resolve) {
  if (!node) return '';
  switch (node.kind) {
    case DocNodeKind.PlainText: return node.text;
    case DocNodeKind.EscapedText: return node.decodedText;
    case DocNodeKind.SoftBreak: return ' ';
    case DocNodeKind.CodeSpan: return `\`${node.code}\``;
    case DocNodeKind.FencedCode: return `\n\n\`\`\`${node.language}\n${node.code.replace(/\n$/, '')}\n\`\`\`\n\n`;
    case DocNodeKind.HtmlStartTag:
    case DocNodeKind.HtmlEndTag: return node.emitAsHtml();
    case DocNodeKind.Paragraph: return `${node.getChildNodes().map((n) => renderDoc(n, resolve)).join('').trim()}\n\n`;
    case DocNodeKind.LinkTag: {
      if (node.urlDestination) return `[${node.linkText ?? node.urlDestination}](${node.urlDestination})`;
      const name = node.codeDestination?.memberReferences.map((m) => m.memberIdentifier?.identifier ?? '').join('.') ?? '';
      const target = resolve(name);
      const text = node.linkText ?? name;
      return target ? `[${text}](#${target})` : `\`${text}\``;
    }
    default: return (node.getChildNodes?.() ?? []).map((n) => renderDoc(n, resolve)).join('');
  }
}

const block = (item, tag) => item.tsdocComment?.customBlocks.find((b) => b.blockTag.tagName === tag)?.content;
const deprecated = (item) => item.tsdocComment?.deprecatedBlock?.content;

function memberRows(item, resolve) {
  return item.members
    .filter((m) => m.kind !== ApiItemKind.IndexSignature)
    .map((m) => {
      const description = cell(renderDoc(m.tsdocComment?.summarySection, resolve)) + (deprecated(m) ? ` **Deprecated:** ${cell(renderDoc(deprecated(m), resolve))}` : '');
      const defaultValue = cell(renderDoc(block(m, '@defaultValue'), resolve));
      if (m.kind === ApiItemKind.Property || m.kind === ApiItemKind.PropertySignature) {
        const flags = [m.isReadonly && 'readonly', m.isStatic && 'static', m.isOptional && 'optional'].filter(Boolean).join(', ');
        const type = cell(m.propertyTypeExcerpt.text);
        const target = /^\w+(\[\])?$/.test(type) ? resolve(type.replace('[]', '')) : undefined; // an export: link it
        return `| \`${m.name}\`${flags ? ` <sub>${flags}</sub>` : ''} | ${target ? `[\`${type}\`](#${target})` : `\`${type}\``} | ${defaultValue} | ${description} |`;
      }
      return `| \`${cell(m.excerpt.text).replace(/;$/, '')}\` | | | ${description} |`;
    });
}

function renderItem(item, resolve) {
  const kind = item.kind === ApiItemKind.TypeAlias ? 'type' : item.kind.toLowerCase();
  const out = [`<a id="${anchor(item)}"></a>`, '', `### ${item.displayName} (${kind})`, ''];
  const doc = item.tsdocComment;
  if (deprecated(item)) out.push(`**Deprecated:** ${renderDoc(deprecated(item), resolve).trim()}`, '');
  if (doc) out.push(renderDoc(doc.summarySection, resolve).trim(), '');
  out.push('```ts', item.excerpt.text.trim().replace(/\s*\{\s*$/, ''), '```', '');
  if (doc?.remarksBlock) out.push(renderDoc(doc.remarksBlock.content, resolve).trim(), '');
  for (const param of doc?.params.blocks ?? []) out.push(`- \`${param.parameterName}\`: ${oneLine(renderDoc(param.content, resolve))}`);
  if (doc?.returnsBlock) out.push(`- returns: ${oneLine(renderDoc(doc.returnsBlock.content, resolve))}`);
  if (doc?.params.blocks.length || doc?.returnsBlock) out.push('');
  const rows = item.kind === ApiItemKind.Class || item.kind === ApiItemKind.Interface || item.kind === ApiItemKind.Enum ? memberRows(item, resolve) : [];
  if (rows.length > 0) out.push('| Member | Type | Default | Description |', '| --- | --- | --- | --- |', ...rows, '');
  return out.join('\n');
}

/** Markdown for each entry point of the model at `apiJsonFile`, as [fileName, text] pairs. */
export function renderReference(apiJsonFile) {
  const pkg = new ApiModel().loadPackage(apiJsonFile);
  return pkg.entryPoints.map((entry) => {
    const exports = [...entry.members].sort((a, b) => a.displayName.localeCompare(b.displayName));
    const byName = new Map(exports.map((item) => [item.displayName, item]));
    const resolve = (name) => {
      const [head] = name.split('.');
      const item = byName.get(head);
      if (!item) return undefined;
      return anchor(item); // a member (`Owner.member`) is a row of its owner's table
    };
    const name = entry.name ? `${pkg.name}-${entry.name}` : pkg.name;
    const sections = [
      '<!-- Generated by scripts/docs.mjs from the TSDoc of the published entry point: do not edit; run `npm run docs`. -->',
      '',
      `# ${name} API reference`,
      '',
      renderDoc(pkg.tsdocComment?.summarySection, resolve).trim(),
      '',
    ];
    for (const kind of KIND_ORDER) {
      const items = exports.filter((item) => item.kind === kind);
      if (items.length === 0) continue;
      sections.push(`## ${KIND_TITLE[kind]}`, '', items.map((item) => `[${item.displayName}](#${anchor(item)})`).join(' · '), '');
      for (const item of items) sections.push(renderItem(item, resolve));
    }
    return [`${name.replace(/^@/, '').replace(/\//g, '-')}.md`, `${sections.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`];
  });
}
