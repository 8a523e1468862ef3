/**
 * Custom schema versions in the store, against the platform's DynamoDB (dynalite): a
 * registration cut between its two writes is completed when the same request comes again.
 */
import { handlerEnvironment } from '../../lib/local/platform';
import { platform, uniqueId } from './support/api';

describe('custom schema registration', () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  Object.assign(process.env, handlerEnvironment(platform()));
  const { DynamoSchemaStore } = require('../../functions/store/dynamodb/schema-store') as typeof import('../../functions/store/dynamodb/schema-store');
  const client = require('../../functions/store/dynamodb/client') as typeof import('../../functions/store/dynamodb/client');
  const { AlreadyExistsError } = require('../../functions/store/ports') as typeof import('../../functions/store/ports');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const store = new DynamoSchemaStore(process.env.TABLE_NAME!);
  const schema = (id: string, version: string) => ({ id, version, title: 'Test', fields: [{ name: 'a', type: 'string' as const }] });

  it('completes a registration whose current-version write failed, and refuses a version registered whole', async () => {
    const id = `cd31/${uniqueId('coupee')}`;
    await store.register(schema(id, '1.0.0'), '2026-01-01T00:00:00.000Z');
    const db = client.documentClient();
    const send = db.send.bind(db);
    let cuts = 0;
    const cut = jest.spyOn(db, 'send').mockImplementation(((command: { input?: { Item?: { sk?: string } } }) => {
      // The registration's last write, the current version (`META`), fails once.
      if (command.input?.Item?.sk === 'META' && ++cuts === 1) return Promise.reject(new Error('connection reset'));
      return send(command as never);
    }) as never);
    await expect(store.register(schema(id, '2.0.0'), '2026-02-01T00:00:00.000Z')).rejects.toThrow('connection reset');
    cut.mockRestore();
    expect(cuts).toBe(1);
    // Version 2.0.0 is stored, not current: the same request again completes it.
    expect((await store.get(id, '2.0.0'))?.descriptor.version).toBe('2.0.0');
    expect((await store.get(id))?.descriptor.version).toBe('1.0.0');
    await store.register(schema(id, '2.0.0'), '2026-02-01T00:05:00.000Z');
    expect((await store.get(id))?.descriptor.version).toBe('2.0.0');
    expect((await store.get(id, '1.0.0'))?.descriptor.version).toBe('1.0.0');
    await expect(store.register(schema(id, '2.0.0'), '2026-03-01T00:00:00.000Z')).rejects.toBeInstanceOf(AlreadyExistsError);
  });

  it('keeps the higher of two registrations current, whichever write lands last', async () => {
    const id = `cd31/${uniqueId('course')}`;
    expect(await store.register(schema(id, '3.0.0'), '2026-05-01T00:00:00.000Z')).toBe(true);
    expect(await store.register(schema(id, '2.0.0'), '2026-06-01T00:00:00.000Z')).toBe(false);
    expect((await store.get(id))?.descriptor.version).toBe('3.0.0');
    expect((await store.get(id, '2.0.0'))?.descriptor.version).toBe('2.0.0');
    // Registered whole (in the history): the same again is refused, not taken for a cut registration.
    await expect(store.register(schema(id, '2.0.0'), '2026-07-01T00:00:00.000Z')).rejects.toBeInstanceOf(AlreadyExistsError);
  });

  it('orders a schema registered before versions were ordered by its number too', async () => {
    const id = `cd31/${uniqueId('ancien')}`;
    await store.register(schema(id, '5.0.0'), '2026-01-01T00:00:00.000Z');
    // As written before: no versionOrder on the current version.
    const db = client.documentClient();
    const { UpdateCommand } = require('@aws-sdk/lib-dynamodb') as typeof import('@aws-sdk/lib-dynamodb'); // eslint-disable-line @typescript-eslint/no-require-imports
    await db.send(new UpdateCommand({ TableName: process.env.TABLE_NAME!, Key: { pk: `SCHEMA#${id}`, sk: 'META' }, UpdateExpression: 'REMOVE versionOrder' }));
    expect(await store.register(schema(id, '4.0.0'), '2026-02-01T00:00:00.000Z')).toBe(false);
    expect((await store.get(id))?.descriptor.version).toBe('5.0.0');
    expect(await store.register(schema(id, '6.0.0'), '2026-03-01T00:00:00.000Z')).toBe(true);
    expect(await store.register(schema(id, '5.5.0'), '2026-04-01T00:00:00.000Z')).toBe(false);
    expect((await store.get(id))?.descriptor.version).toBe('6.0.0');
  });

  it('never makes a version current below one in the history (a lower one left current by the old rule)', async () => {
    const id = `cd31/${uniqueId('historique')}`;
    await store.register(schema(id, '1.0.0'), '2026-01-01T00:00:00.000Z');
    await store.register(schema(id, '2.0.0'), '2026-02-01T00:00:00.000Z');
    await store.register(schema(id, '1.5.0'), '2026-03-01T00:00:00.000Z');
    // As the old rule left it: 1.5.0, registered last, current, with no versionOrder.
    const { PutCommand } = require('@aws-sdk/lib-dynamodb') as typeof import('@aws-sdk/lib-dynamodb'); // eslint-disable-line @typescript-eslint/no-require-imports
    await client.documentClient().send(
      new PutCommand({
        TableName: process.env.TABLE_NAME!,
        Item: { pk: `SCHEMA#${id}`, sk: 'META', gsi1pk: 'SCHEMAS', gsi1sk: id, entity: 'schema', descriptor: schema(id, '1.5.0'), registeredAt: '2026-03-01T00:00:00.000Z' },
      }),
    );
    expect(await store.register(schema(id, '1.6.0'), '2026-04-01T00:00:00.000Z')).toBe(false);
    expect((await store.get(id))?.descriptor.version).toBe('1.5.0');
    expect(await store.register(schema(id, '2.1.0'), '2026-05-01T00:00:00.000Z')).toBe(true);
    expect((await store.get(id))?.descriptor.version).toBe('2.1.0');
  });
});
