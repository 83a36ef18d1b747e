/**
 * SEARCH_CONCURRENCY (decision 020, 10): at most that many searches are computed at once per process,
 * the others wait in arrival order, and past the queue's bound a search is refused with 503 and
 * Retry-After instead of waiting for seconds. Kept pages need no place.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gate } from '../../src/lib/gate.ts';
import { jobSearchQuery } from '../../src/modules/jobs/jobs.schemas.ts';
import { searchGate, searchJobs } from '../../src/modules/jobs/search.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';

const busy = () => new Error('busy');

/** A task that runs until `release()`; `started` tells whether it has begun. */
function held() {
  let release = () => {};
  const state = { started: false };
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    state,
    release: () => release(),
    task: async () => {
      state.started = true;
      await done;
      return 'ok';
    },
  };
}
const tick = () => new Promise((resolve) => setImmediate(resolve));
/** Waits (up to 5 s) until `condition` holds. */
async function until(condition: () => boolean) {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

describe('Gate', () => {
  it('runs at most `limit` tasks at once and starts the others in arrival order', async () => {
    const gate = new Gate(2, 10);
    const tasks = Array.from({ length: 5 }, held);
    const results = tasks.map((t) => gate.run(t.task, busy));
    await tick();
    expect(tasks.map((t) => t.state.started)).toEqual([true, true, false, false, false]);
    expect(gate.waiting).toBe(3);
    tasks[1]?.release();
    await tick();
    expect(tasks.map((t) => t.state.started)).toEqual([true, true, true, false, false]);
    tasks[0]?.release();
    await tick();
    expect(tasks.map((t) => t.state.started)).toEqual([true, true, true, true, false]);
    for (const t of tasks) t.release();
    expect(await Promise.all(results)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(gate.waiting).toBe(0);
  });

  it('refuses a task past `maxWaiting` without queueing it', async () => {
    const gate = new Gate(1, 1);
    const [running, queued, refused] = [held(), held(), held()];
    const first = gate.run(running.task, busy);
    const second = gate.run(queued.task, busy);
    await expect(gate.run(refused.task, busy)).rejects.toThrow('busy');
    expect(refused.state.started).toBe(false);
    expect(gate.waiting).toBe(1);
    running.release();
    queued.release();
    expect(await Promise.all([first, second])).toEqual(['ok', 'ok']);
  });

  it('gives the place of a failed task to the next one, and is empty again afterwards', async () => {
    const gate = new Gate(1, 5);
    const failing = gate.run(async () => {
      await tick();
      throw new Error('statement timeout');
    }, busy);
    const next = held();
    const after = gate.run(next.task, busy);
    await expect(failing).rejects.toThrow('statement timeout');
    await tick();
    expect(next.state.started).toBe(true);
    next.release();
    await after;
    // Nothing runs now: a new task starts at once.
    const fresh = held();
    const last = gate.run(fresh.task, busy);
    expect(fresh.state.started).toBe(true);
    fresh.release();
    await last;
  });
});

describe('Gate and a signal', () => {
  it('drops a waiting task whose signal aborts: it never runs, and the line moves on without it', async () => {
    const gate = new Gate(1, 5);
    const [running, dropped, next] = [held(), held(), held()];
    const controller = new AbortController();
    const first = gate.run(running.task, busy);
    const second = gate.run(dropped.task, busy, controller.signal);
    const third = gate.run(next.task, busy);
    expect(gate.waiting).toBe(2);
    controller.abort(new Error('client gone'));
    await expect(second).rejects.toThrow('client gone');
    expect(gate.waiting).toBe(1);
    running.release();
    await tick();
    expect(dropped.state.started).toBe(false);
    expect(next.state.started).toBe(true);
    next.release();
    expect(await Promise.all([first, third])).toEqual(['ok', 'ok']);
  });

  it('refuses a task whose signal has already aborted, and an abort after its turn changes nothing', async () => {
    const gate = new Gate(1, 5);
    const task = held();
    await expect(gate.run(task.task, busy, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    expect(task.state.started).toBe(false);
    const controller = new AbortController();
    const started = gate.run(task.task, busy, controller.signal);
    controller.abort(new Error('late'));
    task.release();
    expect(await started).toBe('ok');
  });
});

describe('GET /jobs with SEARCH_CONCURRENCY=1', () => {
  const TOKEN = 'metrics-token-0123456789abcdef';
  let ctx: TestContext & { close(): Promise<void> };
  beforeAll(async () => {
    ctx = await createTestApp({ env: { SEARCH_CONCURRENCY: '1', SEARCH_CACHE_PAGES: '0', METRICS_TOKEN: TOKEN } });
    await ctx.database.superuserQuery(
      `insert into jobs (title, company, description, source, external_id, posted_date)
       select 'Gate Welder ' || g, 'Gate Co', 'Welds pipes on site.', 'gate', 'g-' || g, now() - make_interval(days => g)
       from generate_series(1, 30) g`,
    );
  }, 120_000);
  afterAll(async () => ctx?.close());

  const search = (q: string) => ctx.app.inject({ method: 'GET', url: `/api/v1/jobs?q=${q}&limit=5` });
  const waitingMetric = async () => {
    const text = (
      await ctx.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })
    ).body;
    return Number(/^jobr_search_waiting (\S+)$/m.exec(text)?.[1]);
  };

  it('has one gate per database, and none when SEARCH_CONCURRENCY is 0', () => {
    expect(searchGate(ctx.database, 1)).toBe(searchGate(ctx.database, 1));
    expect(searchGate(ctx.database, 1)?.limit).toBe(1);
    expect(searchGate(ctx.database, 0)).toBeNull();
  });

  it('answers concurrent searches one after another, each with its own page', async () => {
    const alone = (await search('welder')).json();
    const together = await Promise.all(Array.from({ length: 8 }, (_, i) => search(i % 2 ? 'welder' : 'pipes')));
    for (const res of together) expect(res.statusCode).toBe(200);
    expect(together[1]?.json().data).toEqual(alone.data);
    expect(together[0]?.json().data).toHaveLength(5);
  });

  it('queues behind a running search, shows the queue in /metrics, and refuses past its bound with 503', async () => {
    const gate = searchGate(ctx.database, 1);
    if (!gate) throw new Error('the app has no search gate');
    const blocker = held();
    const holding = gate.run(blocker.task, busy);
    const queued = Array.from({ length: gate.maxWaiting }, () => search('welder'));
    await tick();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gate.waiting).toBe(gate.maxWaiting);
    expect(await waitingMetric()).toBe(gate.maxWaiting);

    const refused = await search('welder');
    expect(refused.statusCode).toBe(503);
    expect(refused.json().error.code).toBe('SERVICE_UNAVAILABLE');
    expect(refused.headers['retry-after']).toBe('1');

    blocker.release();
    await holding;
    const answered = await Promise.all(queued);
    expect(answered.map((r) => r.statusCode)).toEqual(answered.map(() => 200));
    expect(await waitingMetric()).toBe(0);
  });

  it('serves a kept page without waiting for a place', async () => {
    const gate = new Gate(1, 5);
    const query = jobSearchQuery.parse({ q: 'welder', limit: '3' });
    const options = { cachePages: 10, gate };
    const first = await searchJobs(ctx.database.db, query, options);
    const blocker = held();
    const holding = gate.run(blocker.task, busy);
    // The only place is taken: a computed search would wait, the kept page does not.
    expect(await searchJobs(ctx.database.db, query, options)).toEqual(first);
    expect(gate.waiting).toBe(0);
    const other = searchJobs(ctx.database.db, jobSearchQuery.parse({ q: 'pipes', limit: '3' }), options);
    await until(() => gate.waiting === 1);
    blocker.release();
    await holding;
    expect((await other).data).toHaveLength(3);
  });

  it('drops a waiting search whose client closes the connection', async () => {
    const gate = searchGate(ctx.database, 1);
    if (!gate) throw new Error('the app has no search gate');
    const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const blocker = held();
    const holding = gate.run(blocker.task, busy);
    const request = http.get(`${address}/api/v1/jobs?q=welder`);
    request.on('error', () => {}); // the socket is destroyed on purpose
    await until(() => gate.waiting === 1);
    request.destroy();
    await until(() => gate.waiting === 0);
    blocker.release();
    await holding;
    // The gate is free again: the next search is answered at once.
    expect((await search('welder')).statusCode).toBe(200);
  });
});
