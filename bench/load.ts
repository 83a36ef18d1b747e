/**
 * `npm run bench:load`: load and fault figures on loopback (issue 18, "Under load and faults").
 *
 * A private PostgreSQL cluster (initdb'd here, its own port) with a streaming replica, migrated and
 * seeded with a catalogue and one signed-up seeker per client; two API nodes (`node --import tsx
 * src/server.ts`, two processes on that database); then
 *   1. steady: N concurrent clients (default 50) for S seconds (default 60) of mixed seeker traffic:
 *      search, job detail, sign-in, bookmarks, applications — throughput, p50/p99, errors;
 *   2. the same traffic while the read replica (the nodes use one, DATABASE_REPLICA_URLS) stops: 0 errors;
 *   3. the same traffic while the primary restarts (`pg_ctl restart -m fast`, twice): every
 *      failure must be a 503 inside an outage window, recovery is timed from the server accepting
 *      connections again to both nodes answering /readyz 200, and every write that got a 2xx is looked
 *      up afterwards (0 lost).
 * Options: --clients=50 --seconds=60 --fault-seconds=30 --jobs=5000. Prints the machine's load average:
 * the figures are only comparable between runs on an otherwise idle machine.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { openPostgres, rowsOf } from '../src/db/client.ts';
import { runMigrations } from '../src/db/migrate.ts';
import { users } from '../src/db/schema/index.ts';
import { createCv } from '../test/helpers/factories.ts';
import { freePort, PgCluster } from '../test/helpers/pg-cluster.ts';
import { percentile } from './lib.ts';
import { insertSyntheticJobs } from './synthetic.ts';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const CLIENTS = arg('clients', 50);
const SECONDS = arg('seconds', 60);
const FAULT_SECONDS = arg('fault-seconds', 30);
const JOBS = arg('jobs', 5000);
const PASSWORD = 'load-test-password-1';
const METRICS_TOKEN = 'load-bench-metrics-token';
const root = new URL('..', import.meta.url).pathname;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Kind = 'search' | 'detail' | 'signin' | 'bookmark' | 'apply' | 'list';
/** The mix: mostly catalogue reads, as seekers browse; a write in about one request in six. */
const MIX: Array<[Kind, number]> = [
  ['search', 45],
  ['detail', 25],
  ['signin', 5],
  ['bookmark', 10],
  ['apply', 5],
  ['list', 10],
];
const WRITES = new Set<Kind>(['signin', 'bookmark', 'apply']);
const QUERIES = ['engineer', 'senior python', 'data', 'remote react', 'nurse', 'sales manager', 'devops', 'designer'];

type Sample = { kind: Kind; status: number; code?: string; ms: number; at: number };

const cluster = await PgCluster.create({ prefix: 'jobr-load-', settings: { max_connections: '200' } });
let replica: PgCluster | undefined;
const nodes: ChildProcess[] = [];
try {
  cluster.start();
  const url = cluster.url();
  const config = loadConfig({ DATABASE_URL: url, NODE_ENV: 'production' });
  const owner = openPostgres(url, { ...config.pool, max: 4, statementTimeoutMs: 0 }); // seeding may take a while
  await runMigrations(owner);
  await insertSyntheticJobs(owner.db, 1, JOBS);
  // A streaming replica for the catalogue reads (search, anonymous job detail).
  replica = await PgCluster.replicaOf(cluster, { prefix: 'jobr-load-replica-' });
  replica.start();
  const jobIds = rowsOf<{ id: string }>(await owner.db.execute(sql`select id from jobs order by id`)).map((r) => r.id);

  // Two API nodes on the same database.
  const ports = [await freePort(), await freePort()];
  for (const port of ports) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        NODE_ENV: 'production',
        PORT: String(port),
        DATABASE_URL: url,
        DATABASE_REPLICA_URLS: replica.url(),
        DB_MIGRATE_ON_START: 'false',
        SEED_DEMO_DATA: 'false',
        LOG_LEVEL: 'error',
        DB_POOL_MAX: '20',
        DB_CONNECT_TIMEOUT_MS: '1000',
        AUTH_RATE_LIMIT_MAX: '100000',
        METRICS_TOKEN,
        FILE_STORAGE_DIR: `${cluster.dir}/files-${port}`,
      },
    });
    nodes.push(child);
  }
  const bases = ports.map((p) => `http://127.0.0.1:${p}`);
  const readyStatus = (base: string) =>
    fetch(`${base}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
  for (const [i, base] of bases.entries()) {
    const began = Date.now();
    while ((await readyStatus(base)) !== 200) {
      if (Date.now() - began > 60_000 || nodes[i]?.exitCode !== null) throw new Error(`${base} did not start`);
      await sleep(200);
    }
  }

  // One seeker per client, signed up through the API; Enterprise (no monthly quota) and with a CV.
  // nextApply: each client applies to its own slice of the catalogue, so an application is never a duplicate.
  const seekers: Array<{
    email: string;
    token: string;
    cvId: string;
    base: string;
    userId: string;
    nextApply: number;
  }> = [];
  for (let i = 0; i < CLIENTS; i++) {
    const base = bases[i % bases.length] as string;
    const email = `seeker-${i}-${Date.now()}@load.test`;
    const res = await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Seeker ${i}`, email, password: PASSWORD }),
    });
    if (res.status !== 201) throw new Error(`register: ${res.status} ${await res.text()}`);
    const session = (await res.json()) as { token: string; user: { id: string } };
    await owner.db.update(users).set({ plan: 'Enterprise' }).where(eq(users.id, session.user.id));
    const cv = await createCv(owner.db, { userId: session.user.id });
    const nextApply = Math.floor((i * jobIds.length) / CLIENTS);
    seekers.push({ email, token: session.token, cvId: cv.id, base, userId: session.user.id, nextApply });
  }

  // Every write that got a 2xx, to look up afterwards.
  const acknowledged = { applications: new Set<string>(), bookmarks: new Set<string>() };
  const totalWeight = MIX.reduce((n, [, w]) => n + w, 0);
  const pickKind = (): Kind => {
    let r = Math.random() * totalWeight;
    for (const [kind, w] of MIX) {
      r -= w;
      if (r < 0) return kind;
    }
    return 'search';
  };
  const anyJob = () => jobIds[Math.floor(Math.random() * jobIds.length)] as string;

  async function run(seconds: number): Promise<Sample[]> {
    const samples: Sample[] = [];
    const until = Date.now() + seconds * 1000;
    const client = async (i: number) => {
      const seeker = seekers[i] as (typeof seekers)[number];
      while (Date.now() < until) {
        const kind = pickKind();
        const auth = { authorization: `Bearer ${seeker.token}` };
        let request: { method: string; path: string; body?: unknown; headers?: Record<string, string> };
        const jobId = anyJob();
        if (kind === 'search') {
          const q = QUERIES[Math.floor(Math.random() * QUERIES.length)] as string;
          request = { method: 'GET', path: `/api/v1/jobs?q=${encodeURIComponent(q)}` };
        } else if (kind === 'detail') request = { method: 'GET', path: `/api/v1/jobs/${jobId}` };
        else if (kind === 'signin') {
          request = {
            method: 'POST',
            path: '/api/v1/auth/login',
            body: { identifier: seeker.email, password: PASSWORD },
          };
        } else if (kind === 'bookmark')
          request = { method: 'PUT', path: `/api/v1/jobs/${jobId}/bookmark`, headers: auth };
        else if (kind === 'apply') {
          const target = jobIds[seeker.nextApply++ % jobIds.length] as string;
          request = {
            method: 'POST',
            path: '/api/v1/applications',
            body: { jobId: target, cvId: seeker.cvId },
            headers: auth,
          };
        } else request = { method: 'GET', path: '/api/v1/applications?limit=20', headers: auth };

        const started = performance.now();
        let status = 0;
        let code: string | undefined;
        try {
          const res = await fetch(`${seeker.base}${request.path}`, {
            method: request.method,
            headers: { ...(request.body ? { 'content-type': 'application/json' } : {}), ...request.headers },
            body: request.body ? JSON.stringify(request.body) : undefined,
          });
          status = res.status;
          const text = await res.text();
          const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
          if (status >= 400) code = (body.error as { code?: string } | undefined)?.code;
          if (kind === 'signin' && status === 200) seeker.token = body.token as string;
          if (kind === 'apply' && status === 201) acknowledged.applications.add(body.id as string);
          if (kind === 'bookmark' && status === 204) acknowledged.bookmarks.add(`${seeker.userId}/${jobId}`);
        } catch (err) {
          code = (err as Error).message;
        }
        samples.push({ kind, status, code, ms: performance.now() - started, at: Date.now() });
        if (status === 503 || status === 0) await sleep(50); // a real client backs off on 503
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
    return samples;
  }

  const summarize = (label: string, samples: Sample[], seconds: number) => {
    const ok = samples.filter((s) => s.status >= 200 && s.status < 300);
    const ms = ok.map((s) => s.ms);
    const errors = samples.length - ok.length;
    console.log(
      `${label}: ${samples.length} requests in ${seconds} s = ${(samples.length / seconds).toFixed(0)} req/s; ` +
        `p50 ${percentile(ms, 50).toFixed(1)} ms, p99 ${percentile(ms, 99).toFixed(1)} ms; ${errors} errors`,
    );
    for (const [kind] of MIX) {
      const k = samples.filter((s) => s.kind === kind);
      const kms = k.filter((s) => s.status < 300).map((s) => s.ms);
      console.log(
        `  ${kind.padEnd(8)} ${String(k.length).padStart(6)} req  p50 ${percentile(kms, 50).toFixed(1).padStart(7)} ms  p99 ${percentile(kms, 99).toFixed(1).padStart(7)} ms  ${WRITES.has(kind) ? 'write' : 'read'}`,
      );
    }
    const byError = new Map<string, number>();
    for (const s of samples.filter((x) => x.status < 200 || x.status >= 300)) {
      const key = `${s.status} ${s.code ?? ''}`.trim();
      byError.set(key, (byError.get(key) ?? 0) + 1);
    }
    if (byError.size > 0) console.log(`  errors: ${[...byError].map(([k, n]) => `${n}× ${k}`).join(', ')}`);
  };

  console.log(
    `bench:load — ${CLIENTS} clients, 2 API nodes (tsx), PostgreSQL ${rowsOf<{ v: string }>(await owner.db.execute(sql`select current_setting('server_version') as v`))[0]?.v} on loopback, ${JOBS} jobs`,
  );
  console.log(
    `load average before: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  const steady = await run(SECONDS);
  summarize('steady', steady, SECONDS);
  const metrics = await fetch(`${bases[0]}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const replicaLines = (await metrics.text()).split('\n').filter((l) => l.startsWith('jobr_db_replica_'));
  console.log(`  node 1: ${replicaLines.join('; ')}`);
  console.log(
    `load average after steady: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );

  // Fault 1: the replica stops a third of the way in; its reads move to the primary without an error.
  const replicaStop = sleep((FAULT_SECONDS * 1000) / 3).then(() => replica?.stop('fast'));
  const withoutReplica = await run(FAULT_SECONDS);
  await replicaStop;
  summarize('replica stopped', withoutReplica, FAULT_SECONDS);
  const replicaFailures = withoutReplica.filter((s) => s.status < 200 || s.status >= 300).length;

  // Fault 2: the primary restarts twice while the same traffic runs.
  const outages: Array<{ from: number; to: number; recoveryMs: number }> = [];
  const faults = (async () => {
    for (let i = 0; i < 2; i++) {
      await sleep((FAULT_SECONDS * 1000) / 3);
      const from = Date.now();
      await cluster.restart('fast');
      const up = Date.now();
      for (const [n, base] of bases.entries()) {
        while ((await readyStatus(base)) !== 200) {
          if (nodes[n]?.exitCode !== null) throw new Error(`API node ${n + 1} died during the restart`);
          await sleep(20);
        }
      }
      outages.push({ from, to: Date.now(), recoveryMs: Date.now() - up });
    }
  })();
  const faulted = await run(FAULT_SECONDS);
  await faults;
  summarize('primary restarting', faulted, FAULT_SECONDS);
  // A request may have started just before a restart began and ended just after readiness came back.
  const SLACK_MS = 2000;
  const inOutage = (s: Sample) => outages.some((o) => s.at >= o.from && s.at - s.ms <= o.to + SLACK_MS);
  const failures = faulted.filter((s) => s.status < 200 || s.status >= 300);
  const not503 = failures.filter((s) => s.status !== 503);
  const outside = failures.filter((s) => !inOutage(s));
  console.log(
    `  restarts: ${outages.length}; outage (restart begun → both nodes ready) ${outages.map((o) => o.to - o.from).join('/')} ms; ` +
      `recovery (server up → both nodes ready) ${outages.map((o) => o.recoveryMs).join('/')} ms`,
  );
  console.log(
    `  failures: ${failures.length}, of which not 503: ${not503.length}, outside an outage: ${outside.length}`,
  );

  const check = new pg.Client({ connectionString: url });
  await check.connect();
  const apps = await check.query<{ id: string }>('select id from applications where id = any($1::uuid[])', [
    [...acknowledged.applications],
  ]);
  const marks = await check.query<{ k: string }>("select user_id || '/' || job_id as k from job_bookmarks");
  await check.end();
  const storedMarks = new Set(marks.rows.map((r) => r.k));
  const lostApps = acknowledged.applications.size - apps.rows.length;
  const lostMarks = [...acknowledged.bookmarks].filter((k) => !storedMarks.has(k)).length;
  console.log(
    `writes acknowledged (both phases): ${acknowledged.applications.size} applications, ${acknowledged.bookmarks.size} bookmarks; lost: ${lostApps + lostMarks}`,
  );
  console.log(
    `load average at the end: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  await owner.close();
  if (lostApps + lostMarks > 0 || not503.length > 0 || outside.length > 0 || replicaFailures > 0) process.exitCode = 1;
} finally {
  for (const node of nodes) node.kill('SIGTERM');
  await Promise.all(nodes.map((n) => (n.exitCode === null ? new Promise((r) => n.once('exit', r)) : undefined)));
  replica?.remove();
  cluster.remove();
}
