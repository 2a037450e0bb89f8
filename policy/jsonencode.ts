/**
 * Reads a policy that cdktf rendered with `Fn.jsonencode(...)`: the synthesized string is
 * `${jsonencode({"Version" = "2012-10-17", "Statement" = [{... "Resource" = [aws_kms_key.k.arn]}]})}`,
 * an HCL object expression rather than JSON. This turns it into the JSON value Terraform would
 * produce, with each reference kept as a `${…}` interpolation string — the same form a
 * `JSON.stringify`-rendered policy has — so every rule reads both alike.
 *
 * Hand-written because no library parses one HCL expression into JSON (hcl2json parses whole
 * files and leaves expressions as strings); the subset is what cdktf emits: objects, tuples,
 * quoted strings with interpolations, numbers, booleans, null and bare references/calls.
 */

const PREFIX = '${jsonencode(';
const SUFFIX = ')}';

/** True when `value` is a whole `${jsonencode(…)}` expression. */
export function isJsonencode(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX) && value.endsWith(SUFFIX);
}

/** The JSON value of a `${jsonencode(…)}` string; throws `SyntaxError` on anything else. */
export function parseJsonencode(value: string): unknown {
  if (!isJsonencode(value)) throw new SyntaxError('not a ${jsonencode(...)} expression');
  const src = value.slice(PREFIX.length, -SUFFIX.length);
  const p = new Parser(src);
  const result = p.value();
  p.skipSpace();
  if (p.pos !== src.length) throw new SyntaxError(`unexpected ${JSON.stringify(src.slice(p.pos, p.pos + 20))} at ${p.pos}`);
  return result;
}

class Parser {
  pos = 0;
  constructor(private readonly src: string) {}

  skipSpace(): void {
    while (/\s/.test(this.src[this.pos] ?? '')) this.pos++;
  }

  value(): unknown {
    this.skipSpace();
    const c = this.src[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.tuple();
    if (c === '"') return this.string();
    const literal = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)(?![\w.])/.exec(this.src.slice(this.pos));
    if (literal) {
      this.pos += literal[0].length;
      return JSON.parse(literal[0]);
    }
    return `\${${this.reference()}}`;
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos++; // {
    for (;;) {
      this.skipSpace();
      if (this.src[this.pos] === '}') return this.pos++, out;
      const key = this.src[this.pos] === '"' ? this.string() : this.identifier();
      this.skipSpace();
      if (this.src[this.pos] !== '=' && this.src[this.pos] !== ':') throw new SyntaxError(`expected "=" after key ${key} at ${this.pos}`);
      this.pos++;
      out[key] = this.value();
      this.separator('}');
    }
  }

  private tuple(): unknown[] {
    const out: unknown[] = [];
    this.pos++; // [
    for (;;) {
      this.skipSpace();
      if (this.src[this.pos] === ']') return this.pos++, out;
      out.push(this.value());
      this.separator(']');
    }
  }

  private separator(close: string): void {
    this.skipSpace();
    if (this.src[this.pos] === ',') this.pos++;
    else if (this.src[this.pos] !== close) throw new SyntaxError(`expected "," or "${close}" at ${this.pos}`);
  }

  private identifier(): string {
    const m = /^[A-Za-z_][\w-]*/.exec(this.src.slice(this.pos));
    if (!m) throw new SyntaxError(`expected a key at ${this.pos}`);
    this.pos += m[0].length;
    return m[0];
  }

  /** A quoted template; `${…}` interpolations are kept verbatim, `$${` / `%%{` unescaped. */
  private string(): string {
    let out = '';
    this.pos++; // "
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) throw new SyntaxError('unterminated string');
      // cdktf leaves a `"` inside a value unescaped: a quote ends the string only where a delimiter follows.
      if (c === '"' && /^\s*([,\]}=:)]|$)/.test(this.src.slice(this.pos + 1, this.pos + 40))) return this.pos++, out;
      if (c === '\\') {
        const e = this.src[this.pos + 1];
        if (e === 'u') {
          out += String.fromCharCode(parseInt(this.src.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
        } else {
          out += ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[e] ?? e;
          this.pos += 2;
        }
      } else if (this.src.startsWith('$${', this.pos) || this.src.startsWith('%%{', this.pos)) {
        out += `${c}{`;
        this.pos += 3;
      } else if (this.src.startsWith('${', this.pos)) {
        const end = this.balanced(this.pos + 1);
        out += this.src.slice(this.pos, end);
        this.pos = end;
      } else {
        out += c;
        this.pos++;
      }
    }
  }

  /** A bare expression (`aws_kms_key.k.arn`, `element(x, 0)`) up to the next `,`, `]` or `}` at depth 0. */
  private reference(): string {
    const start = this.pos;
    let depth = 0;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (depth === 0 && (c === ',' || c === ']' || c === '}')) break;
      if (c === '"') {
        this.string();
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      if (c === ')' || c === ']' || c === '}') depth--;
      this.pos++;
    }
    const expr = this.src.slice(start, this.pos).trim();
    if (!expr) throw new SyntaxError(`expected a value at ${start}`);
    return expr;
  }

  /** Index just past the `}` that closes the `{` at `open`, skipping nested braces and strings. */
  private balanced(open: number): number {
    let depth = 0;
    for (let i = open; i < this.src.length; i++) {
      const c = this.src[i];
      if (c === '{') depth++;
      else if (c === '}' && --depth === 0) return i + 1;
      else if (c === '"') {
        for (i++; i < this.src.length && this.src[i] !== '"'; i++) if (this.src[i] === '\\') i++;
      }
    }
    throw new SyntaxError('unterminated ${ interpolation');
  }
}
