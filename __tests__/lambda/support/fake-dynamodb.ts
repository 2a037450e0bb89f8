/**
 * UpdateItem for the expression forms state.ts documents, and nothing more: `SET a = :v, …`,
 * `REMOVE a`, and conditions made of `attribute_not_exists(a)` / `a = :v` joined by OR.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

type Item = Record<string, AttributeValue>;
export interface UpdateInput {
  Key: { pk: { S?: string } };
  UpdateExpression?: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}

export function applyUpdate(existing: Item | undefined, input: UpdateInput): Item | 'condition-failed' {
  const name = (token: string) => input.ExpressionAttributeNames?.[token] ?? token;
  const value = (token: string) => {
    const v = input.ExpressionAttributeValues?.[token];
    if (!v) throw new Error(`fake DynamoDB: missing value ${token}`);
    return v;
  };
  const item: Item = { ...(existing ?? {}), pk: { S: input.Key.pk.S! } };
  if (input.ConditionExpression) {
    const holds = input.ConditionExpression.split(' OR ').some((clause) => {
      const notExists = /^attribute_not_exists\((\S+)\)$/.exec(clause.trim());
      if (notExists) return !existing || existing[name(notExists[1]!)] === undefined;
      const less = /^(\S+) < (:\w+)$/.exec(clause.trim());
      if (less) return Number(existing?.[name(less[1]!)]?.N ?? NaN) < Number(value(less[2]!).N);
      const equals = /^(\S+) = (:\w+)$/.exec(clause.trim());
      if (!equals) throw new Error(`fake DynamoDB: unsupported condition ${clause}`);
      return JSON.stringify(existing?.[name(equals[1]!)]) === JSON.stringify(value(equals[2]!));
    });
    if (!holds) return 'condition-failed';
  }
  const expr = input.UpdateExpression ?? '';
  const set = /^SET (.+)$/.exec(expr);
  const remove = /^REMOVE (.+)$/.exec(expr);
  if (set) {
    for (const assignment of set[1]!.split(',')) {
      const [lhs, rhs] = assignment.split('=').map((s) => s.trim());
      item[name(lhs!)] = value(rhs!);
    }
  } else if (remove) {
    for (const attr of remove[1]!.split(',')) delete item[name(attr.trim())];
  } else throw new Error(`fake DynamoDB: unsupported update ${expr}`);
  return item;
}
