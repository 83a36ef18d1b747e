import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countImportRows, metricsAccess, startCvParseTimer } from '../../src/modules/ops/metrics.ts';
import { runTaskNow } from '../../src/tasks/queue.ts';
import { retentionTask } from '../../src/tasks/retention.ts';
import { defineTask, noPayload } from '../../src/tasks/task.ts';
import { createTestApp } from '../helpers/app.ts';

const TOKEN = 'metrics-token-0123456789abcdef';

describe('GET /metrics', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => ctx?.close());

  const scrape = (authorization?: string) =>
    ctx.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });

  it('refuses a missing or wrong token with 401 in the one error format', async () => {
    for (const header of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const res = await scrape(header);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('counts requests per route pattern and status, never the raw URL', async () => {
    await ctx.app.inject({ method: 'GET', url: '/healthz' });
    await ctx.app.inject({ method: 'GET', url: '/api/v1/jobs/00000000-0000-4000-8000-000000000000' });
    await ctx.app.inject({ method: 'GET', url: '/no/such/secret-path-123' });
    const res = await scrape(`Bearer ${TOKEN}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(text).toMatch(/jobr_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} 1/);
    expect(text).toMatch(
      /jobr_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/jobs\/:id",status="404"\} 1/,
    );
    expect(text).toContain('route="(unmatched)",status="404"');
    expect(text).not.toContain('secret-path-123');
    expect(text).not.toContain('00000000-0000-4000-8000-000000000000');
    expect(text).toContain('jobr_process_cpu_seconds_total');
  });

  it('reports the outbox backlog and the oldest pending message', async () => {
    await ctx.database.superuserQuery(
      `insert into outbox_messages (channel, recipient, subject, body, created_at)
       values ('email', 'a@example.com', 's', 'b', now() - interval '90 seconds'),
              ('email', 'b@example.com', 's', 'b', now())`,
    );
    const text = (await scrape(`Bearer ${TOKEN}`)).body;
    expect(text).toMatch(/jobr_outbox_messages\{status="pending"\} 2/);
    expect(text).toMatch(/jobr_outbox_messages\{status="failed"\} 0/);
    const age = Number(/^jobr_outbox_oldest_pending_seconds (\S+)$/m.exec(text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(89);
    expect(text).not.toContain('a@example.com');
  });

  it('reports the database pool on PostgreSQL', async () => {
    const text = (await scrape(`Bearer ${TOKEN}`)).body;
    if (ctx.database.kind === 'postgres') {
      expect(text).toMatch(/jobr_db_pool_connections\{state="total"\} [1-9]/);
      expect(text).toMatch(/jobr_db_pool_waiting 0/);
    } else {
      expect(text).not.toMatch(/jobr_db_pool_connections\{/);
    }
  });

  it('records CV parse time and import rows', async () => {
    const done = startCvParseTimer();
    done('ok');
    startCvParseTimer()('timeout');
    const report = { inserted: 3, updated: 1, skipped: 0, rejected: 2, rows: 6 };
    expect(countImportRows(report)).toBe(report);
    const text = (await scrape(`Bearer ${TOKEN}`)).body;
    expect(text).toMatch(/jobr_cv_parse_seconds_count\{outcome="ok"\} [1-9]/);
    expect(text).toMatch(/jobr_cv_parse_seconds_count\{outcome="timeout"\} [1-9]/);
    expect(text).toMatch(/jobr_import_rows_total\{result="inserted"\} [3-9]/);
    expect(text).toMatch(/jobr_import_rows_total\{result="rejected"\} [2-9]/);
  });

  it('reports queue depth and failures per task, whichever node enqueued or failed them', async () => {
    await ctx.database.superuserQuery(
      `insert into pgboss.job (name, data, state) values
         ('outbox-deliver', '{}', 'created'), ('outbox-deliver', '{}', 'created'), ('alerts', '{}', 'failed')`,
    );
    const text = (await scrape(`Bearer ${TOKEN}`)).body;
    expect(text).toMatch(/jobr_queue_jobs\{task="outbox-deliver",state="created"\} 2/);
    expect(text).toMatch(/jobr_queue_jobs\{task="alerts",state="failed"\} 1/);
    // A queue with nothing waiting reads 0 instead of vanishing.
    expect(text).toMatch(/jobr_queue_jobs\{task="retention",state="created"\} 0/);
  });

  it('counts task runs, failures and what retention removed', async () => {
    await ctx.database.superuserQuery(
      `insert into outbox_messages (channel, recipient, subject, body, status, created_at)
       values ('email', 'old@example.com', 's', 'b', 'sent', now() - interval '40 days')`,
    );
    const deps = { database: ctx.database, config: ctx.config, logger: pino({ level: 'silent' }) };
    const result = await runTaskNow(retentionTask, undefined, deps);
    expect(result.outboxDeleted).toBe(1);
    const failing = defineTask({
      name: 'metrics-test-failing',
      summary: 'fails',
      schema: noPayload,
      run: async () => {
        throw new Error('broken on purpose');
      },
    });
    await expect(runTaskNow(failing, undefined, deps)).rejects.toThrow('broken on purpose');
    const text = (await scrape(`Bearer ${TOKEN}`)).body;
    expect(text).toMatch(/jobr_task_runs_total\{task="retention",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/jobr_task_runs_total\{task="metrics-test-failing",outcome="failed"\} 1/);
    expect(text).toMatch(/jobr_task_items_total\{task="retention",result="outboxDeleted"\} [1-9]/);
    expect(text).toMatch(/jobr_task_last_success_timestamp_seconds\{task="retention"\} \d/);
    // Without replicas there are no replica series.
    expect(text).not.toMatch(/jobr_db_replica_up\{/);
  });

  it('appears in the OpenAPI document', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.paths['/metrics']?.get).toBeDefined();
  });
});

describe('metrics access', () => {
  it('is open outside production without a token, absent in production', () => {
    expect(metricsAccess({ env: 'development', metricsToken: undefined }, undefined)).toBe('ok');
    expect(metricsAccess({ env: 'test', metricsToken: undefined }, undefined)).toBe('ok');
    expect(metricsAccess({ env: 'production', metricsToken: undefined }, `Bearer ${TOKEN}`)).toBe('disabled');
    expect(metricsAccess({ env: 'production', metricsToken: TOKEN }, `Bearer ${TOKEN}`)).toBe('ok');
    expect(metricsAccess({ env: 'production', metricsToken: TOKEN }, 'Bearer nope')).toBe('denied');
  });
});
