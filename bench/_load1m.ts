import { ensurePostgresCatalogue } from './load.ts';

const t = Date.now();
await ensurePostgresCatalogue('postgres://postgres@127.0.0.1:5432/postgres', 'jobr_bench_1000000', 1000000);
console.log('s', (Date.now() - t) / 1000);
