/** A tokenizer for the subset of Go that terraform-plugin-sdk schema files are written in, and bracket helpers. */

export function tokenize(text) {
  const tokens = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    if (text.startsWith('//', i)) { i = text.indexOf('\n', i); if (i < 0) break; continue; }
    if (text.startsWith('/*', i)) { i = text.indexOf('*/', i) + 2; continue; }
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      tokens.push({ kind: 'string', value: JSON.parse(text.slice(i, j + 1)) });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = text.indexOf('`', i + 1);
      tokens.push({ kind: 'string', value: text.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      while (text[j] !== "'") j += text[j] === '\\' ? 2 : 1;
      tokens.push({ kind: 'rune', value: text.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 200));
    if (word) { tokens.push({ kind: 'ident', value: word[0] }); i += word[0].length; continue; }
    const num = /^-?[0-9][0-9_.xXa-fA-F]*/.exec(text.slice(i, i + 50));
    if (num && !(c === '-' && tokens.at(-1)?.kind === 'ident')) { tokens.push({ kind: 'number', value: Number(num[0]) }); i += num[0].length; continue; }
    const op = /^(:=|==|!=|<=|>=|&&|\|\||\.\.\.|[-+*/%&|^<>=!:;,.(){}[\]])/.exec(text.slice(i, i + 3));
    if (!op) throw new Error(`unexpected character ${JSON.stringify(c)} at offset ${i}`);
    tokens.push({ kind: 'op', value: op[0] });
    i += op[0].length;
  }
  return tokens;
}

export const OPEN = { '(': ')', '[': ']', '{': '}' };
/** Index just past the bracket that closes the one at `start`. */
export function skipBalanced(tokens, start) {
  const stack = [];
  for (let i = start; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'op') continue;
    if (OPEN[t.value]) stack.push(OPEN[t.value]);
    else if (Object.values(OPEN).includes(t.value)) {
      if (stack.pop() !== t.value) throw new Error(`unbalanced ${t.value}`);
      if (stack.length === 0) return i + 1;
    }
  }
  throw new Error('unterminated bracket');
}

/** Splits tokens[from, to) at depth-0 commas. */
export function splitTopLevel(tokens, from, to) {
  const parts = [];
  let start = from;
  for (let i = from; i < to; ) {
    const t = tokens[i];
    if (t.kind === 'op' && OPEN[t.value]) { i = skipBalanced(tokens, i); continue; }
    if (t.kind === 'op' && t.value === ',') { parts.push(tokens.slice(start, i)); start = i + 1; }
    i++;
  }
  const last = tokens.slice(start, to);
  if (last.length > 0) parts.push(last);
  return parts;
}

export const text = (toks) => toks.map((t) => (t.kind === 'string' ? JSON.stringify(t.value) : String(t.value))).join(' ');

