import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { startHarness, type Harness } from './harness';

let h: Harness;
const TableName = 'notices';
const key = (id: string) => ({ pk: { S: id } });

beforeAll(async () => {
  h = await startHarness();
  h.aws.dynamodb.createTable({ name: TableName, partitionKey: 'pk' });
});
afterAll(() => h.close());

const claim = (id: string, owner: string) =>
  h.dynamodb.send(new PutItemCommand({
    TableName,
    Item: { ...key(id), claimedBy: { S: owner }, status: { S: 'claimed' } },
    ConditionExpression: 'attribute_not_exists(pk)',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  }));

describe('fake DynamoDB through the real SDK (AWS JSON 1.0)', () => {
  it('lets the first conditional put win and fails the second with ConditionalCheckFailedException', async () => {
    await claim('n1', 'daemon');
    const error = await claim('n1', 'eventbridge').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConditionalCheckFailedException);
    expect((error as ConditionalCheckFailedException).Item).toMatchObject({ claimedBy: { S: 'daemon' } });
    const got = await h.dynamodb.send(new GetItemCommand({ TableName, Key: key('n1') }));
    expect(got.Item).toMatchObject({ claimedBy: { S: 'daemon' } });
  });

  it('updates with SET/REMOVE under =, <>, AND/OR conditions', async () => {
    await h.dynamodb.send(new PutItemCommand({ TableName, Item: { ...key('n2'), status: { S: 'claimed' }, note: { S: 'x' } } }));
    const update = (condition: string, values: Record<string, { S: string }>) =>
      h.dynamodb.send(new UpdateItemCommand({
        TableName,
        Key: key('n2'),
        UpdateExpression: 'SET #s = :done, attempts = if_not_exists(attempts, :zero) + :one REMOVE note',
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':done': { S: 'done' }, ':zero': { N: '0' }, ':one': { N: '1' }, ...values },
        ReturnValues: 'ALL_NEW',
      }));
    await expect(update('#s = :other', { ':other': { S: 'queued' } })).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    const out = await update('attribute_exists(pk) AND (#s <> :done OR #s = :claimed)', { ':claimed': { S: 'claimed' } });
    expect(out.Attributes).toEqual({ ...key('n2'), status: { S: 'done' }, attempts: { N: '1' } });
    await expect(update('#s <> :done', {})).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('deletes conditionally and reports a missing item as no Item', async () => {
    await claim('n3', 'daemon');
    await expect(h.dynamodb.send(new DeleteItemCommand({
      TableName, Key: key('n3'), ConditionExpression: 'claimedBy = :o', ExpressionAttributeValues: { ':o': { S: 'someone-else' } },
    }))).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await h.dynamodb.send(new DeleteItemCommand({
      TableName, Key: key('n3'), ConditionExpression: 'claimedBy = :o', ExpressionAttributeValues: { ':o': { S: 'daemon' } },
    }));
    expect((await h.dynamodb.send(new GetItemCommand({ TableName, Key: key('n3') }))).Item).toBeUndefined();
  });

  it('rejects what DynamoDB rejects: reserved words, unused placeholders, wrong keys, key updates, unknown tables', async () => {
    await expect(h.dynamodb.send(new GetItemCommand({ TableName, Key: key('n1'), ProjectionExpression: 'pk, status' })))
      .rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('reserved keyword: status') });
    await expect(h.dynamodb.send(new PutItemCommand({
      TableName, Item: key('n4'), ConditionExpression: 'attribute_not_exists(pk)', ExpressionAttributeValues: { ':unused': { S: 'x' } },
    }))).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining(':unused') });
    await expect(h.dynamodb.send(new GetItemCommand({ TableName, Key: { id: { S: 'n1' } } })))
      .rejects.toMatchObject({ name: 'ValidationException', message: 'The provided key element does not match the schema' });
    await expect(h.dynamodb.send(new UpdateItemCommand({
      TableName, Key: key('n1'), UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': { S: 'other' } },
    }))).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('part of the key') });
    await expect(h.dynamodb.send(new UpdateItemCommand({
      TableName, Key: key('n1'), UpdateExpression: 'ADD hits :one', ExpressionAttributeValues: { ':one': { N: '1' } },
    }))).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('ADD') });
    await expect(h.dynamodb.send(new GetItemCommand({ TableName: 'missing', Key: key('n1') })))
      .rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(h.aws.dynamodb.items(TableName).map((i) => i['pk']!['S'])).not.toContain('n4');
  });

  it('surfaces injected throttling as ThrottlingException', async () => {
    h.aws.faults.throttle('dynamodb', { action: 'GetItem', times: 1 });
    await expect(h.clients({ maxAttempts: 1 }).dynamodb.send(new GetItemCommand({ TableName, Key: key('n1') })))
      .rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});
