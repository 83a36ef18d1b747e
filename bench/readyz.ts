/**
 * `npm run bench:http`: the cost of the HTTP stack. Times GET /readyz (a real TCP request through
 * Fastify, which runs `select 1`) against the bare `select 1` on the same pool, in the same run.
 * Uses BENCH_DATABASE_URL (default: the local PostgreSQL), or embedded PGlite with --pglite.
 */
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openPglite, openPostgres } from '../src/db/client.ts';
import { report, timeEach } from './lib.ts';

const n = Number(process.argv.find((a) => a.startsWith('--n='))?.slice(4) ?? 2000);
const usePglite = process.argv.includes('--pglite');
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', ...(usePglite ? {} : { DATABASE_URL: url }) });
const database = usePglite ? await openPglite(undefined) : openPostgres(url, config.pool);
const app = await buildApp({ config, database });
const address = await app.listen({ host: '127.0.0.1', port: 0 });

// Warm up both paths (JIT, pool connections).
await timeEach(200, () => database.ping());
await timeEach(200, () => fetch(`${address}/readyz`).then((r) => r.arrayBuffer()));

const sql = await timeEach(n, () => database.ping());
const http = await timeEach(n, () => fetch(`${address}/readyz`).then((r) => r.arrayBuffer()));

console.log(`bench:http on ${database.kind}, ${n} sequential requests each`);
console.log(report('SQL  select 1', sql));
console.log(report('HTTP GET /readyz (select 1)', http, sql));
await app.close();
await database.close();
