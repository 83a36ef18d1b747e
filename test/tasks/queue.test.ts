/**
 * The one durable queue (docs/decisions/008-pg-boss-queue.md): jobs are enqueued in the caller's
 * transaction, handlers are idempotent, delivery never holds a transaction open during a send, and the
 * pg-boss workers run on both databases (PGlite through the executeSql adapter).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, systemActor, withContext } from '../../src/db/context.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { outboxDeliverTask, outboxTask } from '../../src/modules/outbox/outbox.task.ts';
import { enqueue } from '../../src/modules/outbox/outbox.ts';
import { enqueue as enqueueTask, startQueue } from '../../src/tasks/queue.ts';
import { testConfig } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase, transactionOpen } from '../helpers/db.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

const message = (recipient: string) => ({
  channel: 'sms' as const,
  recipient,
  subject: 'code',
  body: 'Your code: 123456',
});

const jobsFor = async (recipient: string) =>
  database.superuserQuery<{ id: string; state: string }>(
    `select j.id, j.state from pgboss.job j join outbox_messages m on m.id = (j.data->>'messageId')::uuid
     where j.name = 'outbox-deliver' and m.recipient = $1`,
    [recipient],
  );
const rowsFor = async (recipient: string) =>
  database.superuserQuery<{ id: string; status: string; attempts: number }>(
    'select id, status, attempts from outbox_messages where recipient = $1',
    [recipient],
  );

/** An SMS webhook (the real transport's wire protocol) that records whether a transaction was open. */
async function startCheckingWebhook() {
  const seen: { to: string; transactionOpen: boolean }[] = [];
  let status = 200;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', async () => {
      seen.push({ to: JSON.parse(body).to, transactionOpen: await transactionOpen(database) });
      res.writeHead(status).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`,
    seen,
    setStatus(s: number) {
      status = s;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('enqueue', () => {
  it('commits the job with the transaction that enqueues it, for any caller (row-level security applies)', async () => {
    await withContext(database.db, anonymous, (tx) => enqueue(tx, message('+15550000001')));
    expect(await jobsFor('+15550000001')).toHaveLength(1);
  });

  it('drops the job (and the message) when the transaction rolls back', async () => {
    await expect(
      withContext(database.db, systemActor, async (tx) => {
        await enqueue(tx, message('+15550000002'));
        throw new Error('the second step fails');
      }),
    ).rejects.toThrow('the second step fails');
    expect(await jobsFor('+15550000002')).toEqual([]);
    expect(await rowsFor('+15550000002')).toEqual([]);
    const [{ n } = { n: -1 }] = await database.superuserQuery<{ n: number }>(
      `select count(*)::int as n from pgboss.job where name = 'outbox-deliver' and data->>'messageId' not in (select id::text from outbox_messages)`,
    );
    expect(n).toBe(0);
  });

  it('validates the payload against the task schema before writing anything', async () => {
    await expect(
      withContext(database.db, systemActor, (tx) =>
        enqueueTask(tx, outboxDeliverTask, { messageId: 'not-a-uuid' } as { messageId: string }),
      ),
    ).rejects.toThrow();
  });

  it('fails loudly when the queue does not exist, rather than dropping the job', async () => {
    const unknown = { ...outboxDeliverTask, name: 'no-such-queue' };
    await expect(
      withContext(database.db, systemActor, (tx) =>
        enqueueTask(tx, unknown, { messageId: '00000000-0000-4000-8000-000000000001' }),
      ),
    ).rejects.toThrow('queue no-such-queue does not exist');
  });
});

describe('outbox delivery handlers', () => {
  it('deliver once when run twice (a retried job, then the sweep), and never send inside a transaction', async () => {
    const webhook = await startCheckingWebhook();
    try {
      const config = testConfig({ SMS_WEBHOOK_URL: webhook.url });
      const ctx = { db: database.db, config, logger: createLogger(config), now: new Date() };
      await withContext(database.db, systemActor, (tx) => enqueue(tx, message('+15550000003')));
      const [row] = await rowsFor('+15550000003');
      const id = row?.id ?? '';

      expect(await outboxDeliverTask.run(ctx, { messageId: id })).toMatchObject({ sent: 1 });
      expect(await outboxDeliverTask.run(ctx, { messageId: id })).toMatchObject({ sent: 0 });
      await outboxTask.run(ctx); // the sweep (it may deliver other tests' messages)

      expect(webhook.seen.filter((s) => s.to === '+15550000003')).toEqual([
        { to: '+15550000003', transactionOpen: false },
      ]);
      expect(await rowsFor('+15550000003')).toMatchObject([{ status: 'sent', attempts: 1 }]);
    } finally {
      await webhook.close();
    }
  });

  it('deliver once when two workers run the same job at the same time', async () => {
    const webhook = await startCheckingWebhook();
    try {
      const config = testConfig({ SMS_WEBHOOK_URL: webhook.url });
      const ctx = { db: database.db, config, logger: createLogger(config), now: new Date() };
      await withContext(database.db, systemActor, (tx) => enqueue(tx, message('+15550000006')));
      const [row] = await rowsFor('+15550000006');
      const id = row?.id ?? '';
      const runs = await Promise.all([
        outboxDeliverTask.run(ctx, { messageId: id }),
        outboxDeliverTask.run(ctx, { messageId: id }),
      ]);
      expect(runs.map((r) => r.sent).sort()).toEqual([0, 1]);
      // (Whether a transaction is open is not asserted here: the other worker's claim may be running.)
      expect(webhook.seen.filter((s) => s.to === '+15550000006')).toHaveLength(1);
    } finally {
      await webhook.close();
    }
  });

  it('record a failure with backoff outside the transaction too, and the sweep retries when due', async () => {
    const webhook = await startCheckingWebhook();
    webhook.setStatus(503);
    try {
      const config = testConfig({ SMS_WEBHOOK_URL: webhook.url });
      const now = new Date();
      const ctx = { db: database.db, config, logger: createLogger(config), now };
      await withContext(database.db, systemActor, (tx) => enqueue(tx, message('+15550000004')));
      const [row] = await rowsFor('+15550000004');
      expect(await outboxDeliverTask.run(ctx, { messageId: row?.id ?? '' })).toMatchObject({ retrying: 1 });
      expect(await outboxTask.run(ctx)).toMatchObject({ retrying: 0 }); // not due yet
      webhook.setStatus(200);
      const later = { ...ctx, now: new Date(now.getTime() + 61_000) };
      expect(await outboxTask.run(later)).toMatchObject({ sent: 1 });
      expect(webhook.seen.filter((s) => s.to === '+15550000004').map((s) => s.transactionOpen)).toEqual([false, false]);
      expect(await rowsFor('+15550000004')).toMatchObject([{ status: 'sent', attempts: 2 }]);
    } finally {
      await webhook.close();
    }
  });
});

describe('the pg-boss worker', () => {
  it('delivers a committed message through its outbox-deliver job', async () => {
    const webhook = await startCheckingWebhook();
    const config = testConfig({
      SMS_WEBHOOK_URL: webhook.url,
      ...(database.kind === 'postgres'
        ? { DATABASE_URL: (database.db as unknown as { $client: pg.Pool }).$client.options.connectionString ?? '' }
        : {}),
    });
    const queue = await startQueue(
      [outboxDeliverTask as never],
      { database, config, logger: createLogger(config) },
      { pollingIntervalSeconds: 0.5, schedules: false },
    );
    try {
      await withContext(database.db, anonymous, (tx) => enqueue(tx, message('+15550000005')));
      for (let i = 0; i < 100 && webhook.seen.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(webhook.seen).toEqual([{ to: '+15550000005', transactionOpen: false }]);
      for (let i = 0; i < 50; i++) {
        const [job] = await jobsFor('+15550000005');
        if (job?.state === 'completed') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await jobsFor('+15550000005')).toMatchObject([{ state: 'completed' }]);
      expect(await rowsFor('+15550000005')).toMatchObject([{ status: 'sent' }]);
    } finally {
      await queue.stop();
      await webhook.close();
    }
  });
});
