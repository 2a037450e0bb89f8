/**
 * The subset of DynamoDB expressions the fake understands — top-level attributes only:
 * - conditions: `attribute_exists(a)`, `attribute_not_exists(a)`, `begins_with(a, :v)`,
 *   `a = :v`, `a <> :v`, `<`, `<=`, `>`, `>=`, `AND`, `OR`, `NOT`, parentheses;
 * - updates: `SET a = :v, b = if_not_exists(b, :z) + :one` and `REMOVE c, d`.
 * Anything else is a ValidationException naming the unsupported part, never a silent pass.
 */
import { RESERVED_WORDS } from './dynamodb-reserved-words';
import { FakeAwsError } from './protocol';

/** A DynamoDB AttributeValue in its JSON wire form, e.g. `{ S: 'x' }` or `{ N: '1' }`. */
export type AttributeValue = Record<string, unknown>;
export type Item = Record<string, AttributeValue>;

export class ExpressionContext {
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();
  constructor(
    readonly names: Record<string, string> = {},
    readonly values: Record<string, AttributeValue> = {},
  ) {}

  name(token: string, kind: string): string {
    if (!token.startsWith('#')) {
      if (RESERVED_WORDS.has(token.toUpperCase())) throw invalid(kind, `Attribute name is a reserved keyword; reserved keyword: ${token}`);
      return token;
    }
    const name = this.names[token];
    if (name === undefined) throw invalid(kind, `An expression attribute name used in the document path is not defined; attribute name: ${token}`);
    this.usedNames.add(token);
    return name;
  }

  value(token: string, kind: string): AttributeValue {
    const value = this.values[token];
    if (value === undefined) throw invalid(kind, `An expression attribute value used in expression is not defined; attribute value: ${token}`);
    this.usedValues.add(token);
    return value;
  }

  /** DynamoDB rejects placeholders that no expression used. */
  assertAllUsed(): void {
    const unusedValues = Object.keys(this.values).filter((k) => !this.usedValues.has(k));
    if (unusedValues.length) throw validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);
    const unusedNames = Object.keys(this.names).filter((k) => !this.usedNames.has(k));
    if (unusedNames.length) throw validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
  }
}

const validation = (message: string): FakeAwsError => new FakeAwsError('ValidationException', message);
const invalid = (kind: string, message: string): FakeAwsError => validation(`Invalid ${kind}: ${message}`);

const TOKEN = /\s*(<>|<=|>=|[()=<>,+-]|[#:]?[A-Za-z_][A-Za-z0-9_]*|\S)/y;

class Tokens {
  private readonly list: string[] = [];
  private pos = 0;
  constructor(text: string, readonly kind: string) {
    TOKEN.lastIndex = 0;
    for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) this.list.push(m[1]!);
  }
  peek(): string | undefined { return this.list[this.pos]; }
  keyword(word: string): boolean {
    if (this.peek()?.toUpperCase() !== word) return false;
    this.pos++;
    return true;
  }
  next(): string {
    const t = this.list[this.pos++];
    if (t === undefined) throw invalid(this.kind, 'Syntax error; token: <EOF>');
    return t;
  }
  expect(token: string): void {
    const t = this.next();
    if (t !== token) throw invalid(this.kind, `Syntax error; token: "${t}", expected "${token}"`);
  }
  done(): boolean { return this.pos >= this.list.length; }
}

type Operand = (item: Item) => AttributeValue | undefined;

function operand(t: Tokens, ctx: ExpressionContext): Operand {
  const token = t.next();
  if (token.startsWith(':')) {
    const v = ctx.value(token, t.kind);
    return () => v;
  }
  if (!/^#?[A-Za-z_]/.test(token)) throw invalid(t.kind, `Syntax error; token: "${token}"`);
  if (t.peek() === '.' || t.peek() === '[') throw invalid(t.kind, 'nested document paths are not supported by the fake');
  const name = ctx.name(token, t.kind);
  return (item) => item[name];
}

function pathName(t: Tokens, ctx: ExpressionContext): string {
  const token = t.next();
  if (!/^#?[A-Za-z_]/.test(token)) throw invalid(t.kind, `Syntax error; token: "${token}", expected an attribute name`);
  return ctx.name(token, t.kind);
}

/** Parses a ConditionExpression into a predicate over the existing item ({} when absent). */
export function parseCondition(text: string, ctx: ExpressionContext): (item: Item) => boolean {
  const t = new Tokens(text, 'ConditionExpression');
  const predicate = orExpr(t, ctx);
  if (!t.done()) throw invalid(t.kind, `Syntax error; token: "${t.peek()}"`);
  return predicate;
}

type Predicate = (item: Item) => boolean;

function orExpr(t: Tokens, ctx: ExpressionContext): Predicate {
  const parts = [andExpr(t, ctx)];
  while (t.keyword('OR')) parts.push(andExpr(t, ctx));
  return (item) => parts.some((p) => p(item));
}

function andExpr(t: Tokens, ctx: ExpressionContext): Predicate {
  const parts = [notExpr(t, ctx)];
  while (t.keyword('AND')) parts.push(notExpr(t, ctx));
  return (item) => parts.every((p) => p(item));
}

function notExpr(t: Tokens, ctx: ExpressionContext): Predicate {
  if (t.keyword('NOT')) {
    const inner = notExpr(t, ctx);
    return (item) => !inner(item);
  }
  return primary(t, ctx);
}

function primary(t: Tokens, ctx: ExpressionContext): Predicate {
  if (t.peek() === '(') {
    t.next();
    const inner = orExpr(t, ctx);
    t.expect(')');
    return inner;
  }
  const fn = t.peek()?.toLowerCase();
  if (fn === 'attribute_exists' || fn === 'attribute_not_exists' || fn === 'begins_with') {
    t.next();
    t.expect('(');
    const name = pathName(t, ctx);
    if (fn === 'begins_with') {
      t.expect(',');
      const prefix = operand(t, ctx);
      t.expect(')');
      return (item) => typeof item[name]?.['S'] === 'string' && (item[name]!['S'] as string).startsWith(String(prefix(item)?.['S']));
    }
    t.expect(')');
    return fn === 'attribute_exists' ? (item) => item[name] !== undefined : (item) => item[name] === undefined;
  }
  const left = operand(t, ctx);
  const op = t.next();
  if (!['=', '<>', '<', '<=', '>', '>='].includes(op)) throw invalid(t.kind, `Syntax error; token: "${op}", expected a comparator`);
  const right = operand(t, ctx);
  return (item) => compare(left(item), op, right(item));
}

function compare(a: AttributeValue | undefined, op: string, b: AttributeValue | undefined): boolean {
  if (a === undefined || b === undefined) return op === '<>' ? a !== b : false;
  if (op === '=') return sameValue(a, b);
  if (op === '<>') return !sameValue(a, b);
  const [x, y] = a['N'] !== undefined && b['N'] !== undefined ? [Number(a['N']), Number(b['N'])]
    : a['S'] !== undefined && b['S'] !== undefined ? [a['S'] as string, b['S'] as string] : [undefined, undefined];
  if (x === undefined || y === undefined) return false; // different types never compare
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

export function sameValue(a: AttributeValue, b: AttributeValue): boolean {
  if (a['N'] !== undefined && b['N'] !== undefined) return Number(a['N']) === Number(b['N']);
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Applies an UpdateExpression to a copy of the item and returns the copy. */
export function applyUpdate(text: string, ctx: ExpressionContext, item: Item): Item {
  const t = new Tokens(text, 'UpdateExpression');
  const result: Item = { ...item };
  const seen = new Set<string>();
  while (!t.done()) {
    const clause = t.next().toUpperCase();
    if (seen.has(clause)) throw invalid(t.kind, `The "${clause}" section can only be used once in an update expression`);
    seen.add(clause);
    if (clause === 'SET') {
      commaSeparated(t, () => setAction(t, ctx, item, result));
    } else if (clause === 'REMOVE') {
      commaSeparated(t, () => delete result[pathName(t, ctx)]);
    } else {
      throw invalid(t.kind, `"${clause}" is not supported by the fake (only SET and REMOVE)`);
    }
  }
  if (!seen.size) throw invalid(t.kind, 'The expression can not be empty');
  return result;
}

/** Runs `each` for every comma-separated action of a clause. */
function commaSeparated(t: Tokens, each: () => unknown): void {
  each();
  while (t.peek() === ',') {
    t.next();
    each();
  }
}

function setAction(t: Tokens, ctx: ExpressionContext, before: Item, result: Item): void {
  const target = pathName(t, ctx);
  t.expect('=');
  let value = setTerm(t, ctx, before);
  const op = t.peek();
  if (op === '+' || op === '-') {
    t.next();
    const rhs = setTerm(t, ctx, before);
    if (value?.['N'] === undefined || rhs?.['N'] === undefined) {
      throw validation('An operand in the update expression has an incorrect data type');
    }
    const n = Number(value['N']) + (op === '+' ? 1 : -1) * Number(rhs['N']);
    value = { N: String(n) };
  }
  if (value === undefined) throw validation('The provided expression refers to an attribute that does not exist in the item');
  result[target] = value;
}

function setTerm(t: Tokens, ctx: ExpressionContext, before: Item): AttributeValue | undefined {
  if (t.peek()?.toLowerCase() === 'if_not_exists') {
    t.next();
    t.expect('(');
    const name = pathName(t, ctx);
    t.expect(',');
    const fallback = operand(t, ctx);
    t.expect(')');
    return before[name] ?? fallback(before);
  }
  return operand(t, ctx)(before);
}
