import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/logger.ts';
import { retentionTask } from '../../src/tasks/retention.ts';
import { testConfig } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createUser } from '../helpers/factories.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

const DAY = 86_400_000;

describe('retention task', () => {
  it('deletes exactly what the policies name, and is idempotent', async () => {
    const q = database.superuserQuery;
    const user = await createUser(database.db);
    const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
    // Sessions: one expired 8 days ago (goes), one expired 6 days ago (stays), one live (stays).
    await q(
      `insert into user_sessions (user_id, session_token, expires_at, created_at) values
       ($1, 'h1', $2, $3), ($1, 'h2', $4, $5), ($1, 'h3', now() + interval '1 day', now())`,
      [user.id, ago(8), ago(40), ago(6), ago(40)],
    );
    // Usage: 400 days old (goes), 300 days old (stays).
    await q(
      `insert into usage_tracking (user_id, action_type, created_at) values ($1, 'cv_upload', $2), ($1, 'cv_upload', $3)`,
      [user.id, ago(400), ago(300)],
    );
    // Archived history 800 days old (goes), 100 days old (stays); live history is never touched.
    const archived = '00000000-0000-4000-8000-000000000001';
    await q(
      `insert into applications_archive (id, job_id, user_id, cv_id, status) values ($1, gen_random_uuid(), $2, gen_random_uuid(), 'rejected')`,
      [archived, user.id],
    );
    await q(
      `insert into application_status_history_archive (id, application_id, status, created_at) values
       (gen_random_uuid(), $1, 'submitted', $2), (gen_random_uuid(), $1, 'rejected', $3)`,
      [archived, ago(800), ago(100)],
    );

    // Verification tokens: expired 8 days ago (goes), expired 1 day ago (stays).
    await q(
      `insert into verification_tokens (user_id, purpose, channel, target, token_hash, expires_at) values
       ($1, 'verify_email', 'email', 'a@example.test', 't1', $2), ($1, 'verify_email', 'email', 'a@example.test', 't2', $3)`,
      [user.id, ago(8), ago(1)],
    );
    // Outbox: sent 40 days ago (goes), pending 40 days ago (stays: not delivered yet), sent today (stays).
    await q(
      `insert into outbox_messages (channel, recipient, subject, body, status, created_at) values
       ('email', 'a@example.test', 'old', '', 'sent', $1), ('email', 'a@example.test', 'waiting', 'x', 'pending', $1),
       ('email', 'a@example.test', 'new', '', 'sent', now())`,
      [ago(40)],
    );

    // Shared counters: a rate-limit window that has passed and a CV read two hours old go; live ones stay.
    await q(
      `insert into rate_limit_counters (key, hits, reset_at) values ('gone', 3, now() - interval '1 minute'), ('live', 1, now() + interval '1 minute')`,
    );
    await q(`insert into cv_parses (user_id, started_at) values ($1, now() - interval '2 hours'), ($1, now())`, [
      user.id,
    ]);

    const ctx = {
      db: database.db,
      config: testConfig(),
      logger: createLogger({ logLevel: 'silent', env: 'test' }),
      now: new Date(),
    };
    const once = {
      sessionsDeleted: 1,
      usageDeleted: 1,
      archivedHistoryDeleted: 1,
      tokensDeleted: 1,
      outboxDeleted: 1,
      countersDeleted: 2,
      importReportsDeleted: 0,
    };
    expect(await retentionTask.run(ctx)).toEqual(once);
    const none = Object.fromEntries(Object.keys(once).map((k) => [k, 0]));
    expect(await retentionTask.run(ctx)).toEqual(none);

    const sessions = await q<{ session_token: string }>(
      'select session_token from user_sessions where user_id = $1 order by 1',
      [user.id],
    );
    expect(sessions.map((s) => s.session_token)).toEqual(['h2', 'h3']);
    const history = await q<{ status: string }>(
      'select status from application_status_history_archive where application_id = $1',
      [archived],
    );
    expect(history.map((h) => h.status)).toEqual(['rejected']);
    const tokens = await q<{ token_hash: string }>('select token_hash from verification_tokens where user_id = $1', [
      user.id,
    ]);
    expect(tokens.map((t) => t.token_hash)).toEqual(['t2']);
    const outbox = await q<{ subject: string }>('select subject from outbox_messages order by subject');
    expect(outbox.map((m) => m.subject)).toEqual(['new', 'waiting']);
  });
});
