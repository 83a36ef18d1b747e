import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, withContext } from '../../src/db/context.ts';
import { enqueue } from '../../src/modules/outbox/outbox.ts';
import { testConfig } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

const jobsFor = async (recipient: string) =>
  database.superuserQuery<{ id: string }>(
    `select j.id from pgboss.job j join outbox_messages m on m.id = (j.data->>'messageId')::uuid
     where j.name = 'outbox-deliver' and m.recipient = $1`,
    [recipient],
  );

describe('enqueue', () => {
  it('commits the job with the transaction that enqueues it', async () => {
    void testConfig;
    await withContext(database.db, systemActor, (tx) =>
      enqueue(tx, { channel: 'email', recipient: 'commit@example.test', subject: 's', body: 'b' }),
    );
    expect(await jobsFor('commit@example.test')).toHaveLength(1);
  });
});
