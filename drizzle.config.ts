import { defineConfig } from 'drizzle-kit';

// drizzle-kit only generates SQL here (`npm run db:generate`); migrations are applied by src/db/migrate.ts,
// which works on both PostgreSQL and PGlite. `db:push` is for throwaway development databases only.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './drizzle',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/jobr_dev' },
  verbose: true,
  strict: true,
});
