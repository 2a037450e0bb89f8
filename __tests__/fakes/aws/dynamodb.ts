/**
 * Fake DynamoDB (AWS JSON 1.0): in-memory tables with GetItem, PutItem, UpdateItem, DeleteItem
 * and conditional writes, failing with the exact `ConditionalCheckFailedException` the SDK maps.
 */
import { FakeAwsError, type WireFormat } from './protocol';
import { applyUpdate, ExpressionContext, parseCondition, sameValue, type AttributeValue, type Item } from './dynamodb-expressions';

export interface TableSpec {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
}

interface FakeTable {
  readonly spec: TableSpec;
  readonly items: Map<string, Item>;
}

type Input = Record<string, unknown>;

export class FakeDynamoDb {
  readonly format: WireFormat = {
    protocol: 'json1.0',
    targetPrefix: 'DynamoDB_20120810',
    errorTypePrefix: 'com.amazonaws.dynamodb.v20120810#',
  };
  private readonly tables = new Map<string, FakeTable>();

  createTable(spec: TableSpec): void {
    this.tables.set(spec.name, { spec, items: new Map() });
  }

  /** A snapshot of a table's items, for assertions. */
  items(tableName: string): Item[] {
    return [...this.table(tableName).items.values()].map((i) => structuredClone(i));
  }

  throttlingError(): FakeAwsError {
    return new FakeAwsError('ThrottlingException', 'Rate of requests exceeds the allowed throughput.', 400);
  }

  handle(action: string, input: Input): object {
    for (const legacy of ['Expected', 'AttributeUpdates', 'ConditionalOperator']) {
      if (input[legacy] !== undefined) throw validation(`${legacy} (legacy parameter) is not supported by the fake; use expressions`);
    }
    switch (action) {
      case 'GetItem': return this.getItem(input);
      case 'PutItem': return this.putItem(input);
      case 'UpdateItem': return this.updateItem(input);
      case 'DeleteItem': return this.deleteItem(input);
      default: throw new FakeAwsError('UnknownOperationException', `The fake DynamoDB does not implement ${action}`);
    }
  }

  private getItem(input: Input): object {
    const table = this.table(input['TableName']);
    const item = table.items.get(keyOf(table.spec, record(input['Key'], 'Key')));
    const ctx = context(input);
    const projection = typeof input['ProjectionExpression'] === 'string'
      ? input['ProjectionExpression'].split(',').map((p) => ctx.name(p.trim(), 'ProjectionExpression'))
      : undefined;
    ctx.assertAllUsed();
    if (!item) return {};
    return { Item: projection ? Object.fromEntries(projection.filter((p) => item[p]).map((p) => [p, item[p]])) : item };
  }

  private putItem(input: Input): object {
    const table = this.table(input['TableName']);
    const item = record(input['Item'], 'Item') as Item;
    const key = keyOf(table.spec, pick(item, table.spec));
    const old = table.items.get(key);
    this.checkCondition(input, context(input), old);
    table.items.set(key, structuredClone(item));
    return input['ReturnValues'] === 'ALL_OLD' && old ? { Attributes: old } : {};
  }

  private updateItem(input: Input): object {
    const table = this.table(input['TableName']);
    const keyAttrs = record(input['Key'], 'Key') as Item;
    const key = keyOf(table.spec, keyAttrs);
    const old = table.items.get(key);
    const ctx = context(input);
    const before: Item = { ...old, ...keyAttrs };
    const updated = typeof input['UpdateExpression'] === 'string' ? applyUpdate(input['UpdateExpression'], ctx, before) : before;
    for (const k of [table.spec.partitionKey, table.spec.sortKey]) {
      if (k && !sameValue(updated[k] ?? {}, keyAttrs[k]!)) throw validation(`Cannot update attribute ${k}. This attribute is part of the key`);
    }
    this.checkCondition(input, ctx, old);
    table.items.set(key, updated);
    const changed = Object.keys({ ...old, ...updated }).filter((k) => !old?.[k] || !updated[k] || !sameValue(old[k]!, updated[k]!));
    switch (input['ReturnValues'] ?? 'NONE') {
      case 'NONE': return {};
      case 'ALL_OLD': return old ? { Attributes: old } : {};
      case 'ALL_NEW': return { Attributes: updated };
      case 'UPDATED_OLD': return { Attributes: only(old ?? {}, changed) };
      case 'UPDATED_NEW': return { Attributes: only(updated, changed) };
      default: throw validation(`ReturnValues '${String(input['ReturnValues'])}' is not one of NONE, ALL_OLD, ALL_NEW, UPDATED_OLD, UPDATED_NEW`);
    }
  }

  private deleteItem(input: Input): object {
    const table = this.table(input['TableName']);
    const key = keyOf(table.spec, record(input['Key'], 'Key'));
    const old = table.items.get(key);
    this.checkCondition(input, context(input), old);
    table.items.delete(key);
    return input['ReturnValues'] === 'ALL_OLD' && old ? { Attributes: old } : {};
  }

  /** Parses every placeholder before evaluating, so unused ones fail even when the item is absent. */
  private checkCondition(input: Input, ctx: ExpressionContext, old: Item | undefined): void {
    const text = input['ConditionExpression'];
    const condition = typeof text === 'string' ? parseCondition(text, ctx) : undefined;
    ctx.assertAllUsed();
    if (condition && !condition(old ?? {})) {
      const returnOld = input['ReturnValuesOnConditionCheckFailure'] === 'ALL_OLD' && old;
      throw new FakeAwsError('ConditionalCheckFailedException', 'The conditional request failed', 400, {
        extra: returnOld ? { Item: old } : undefined,
      });
    }
  }

  private table(name: unknown): FakeTable {
    if (typeof name !== 'string' || !name) throw validation('TableName is required');
    const table = this.tables.get(name);
    if (!table) throw new FakeAwsError('ResourceNotFoundException', 'Requested resource not found');
    return table;
  }
}

const validation = (message: string): FakeAwsError => new FakeAwsError('ValidationException', message);

function context(input: Input): ExpressionContext {
  return new ExpressionContext(
    (input['ExpressionAttributeNames'] ?? {}) as Record<string, string>,
    (input['ExpressionAttributeValues'] ?? {}) as Record<string, AttributeValue>,
  );
}

function record(value: unknown, field: string): Record<string, AttributeValue> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw validation(`${field} must be a map of attribute values`);
  return value as Record<string, AttributeValue>;
}

function pick(item: Item, spec: TableSpec): Item {
  const names = [spec.partitionKey, ...(spec.sortKey ? [spec.sortKey] : [])];
  return Object.fromEntries(names.filter((n) => item[n]).map((n) => [n, item[n]!]));
}

/** The storage key; the key must name exactly the table's key attributes, as scalars. */
function keyOf(spec: TableSpec, key: Record<string, AttributeValue>): string {
  const names = [spec.partitionKey, ...(spec.sortKey ? [spec.sortKey] : [])];
  const given = Object.keys(key);
  const scalar = (v: AttributeValue | undefined): boolean => !!v && ['S', 'N', 'B'].includes(Object.keys(v)[0] ?? '');
  if (given.length !== names.length || !names.every((n) => scalar(key[n]))) {
    throw validation('The provided key element does not match the schema');
  }
  return JSON.stringify(names.map((n) => key[n]));
}

function only(item: Item, names: readonly string[]): Item {
  return Object.fromEntries(names.filter((n) => item[n]).map((n) => [n, item[n]!]));
}
