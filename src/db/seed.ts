/**
 * `jobr seed` / `npm run db:seed`: job categories, the first administrator (from configuration,
 * never a fixed password) and the demo catalogue. Every step is idempotent.
 */
import { eq, sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import { hashPassword } from '../lib/passwords.ts';
import { jobValues } from '../modules/jobs/jobs.service.ts';
import type { Db } from './client.ts';
import { demoCatalogue, demoCategories } from './demo-catalogue.ts';
import { jobCategories, jobs, users } from './schema/index.ts';

export type SeedReport = { categories: number; admin: 'created' | 'updated' | 'skipped'; demoJobs: number };

export async function seedCategories(db: Db): Promise<number> {
  const inserted = await db
    .insert(jobCategories)
    .values(demoCategories)
    .onConflictDoNothing({ target: jobCategories.name })
    .returning({ id: jobCategories.id });
  return inserted.length;
}

/** Creates the administrator, or promotes and re-keys an existing account with that e-mail. */
export async function upsertAdmin(
  db: Db,
  admin: { email: string; password: string; name: string },
): Promise<'created' | 'updated'> {
  const email = admin.email.trim().toLowerCase();
  const passwordHash = await hashPassword(admin.password);
  const [existing] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email}`);
  if (existing) {
    await db.update(users).set({ role: 'admin', passwordHash }).where(eq(users.id, existing.id));
    return 'updated';
  }
  await db
    .insert(users)
    .values({ email, name: admin.name, passwordHash, role: 'admin', verified: true, plan: 'Enterprise' });
  return 'created';
}

/** Inserts the demo catalogue only into an empty catalogue, so real data is never mixed with it. */
export async function seedDemoJobs(db: Db, now = new Date()): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(jobs);
  if ((row?.n ?? 0) > 0) return 0;
  const categories = await db.select({ id: jobCategories.id, name: jobCategories.name }).from(jobCategories);
  const categoryId = new Map(categories.map((c) => [c.name, c.id]));
  const day = 86_400_000;
  const values = demoCatalogue().map((j, index) =>
    jobValues({
      ...j,
      salaryPeriod: 'yearly',
      source: 'demo',
      externalId: `demo-${index + 1}`,
      categoryId: categoryId.get(j.category) ?? null,
      postedDate: new Date(now.getTime() - j.postedDaysAgo * day),
    }),
  );
  await db.insert(jobs).values(values);
  return values.length;
}

export async function seed(db: Db, config: Config, options: { demo: boolean }): Promise<SeedReport> {
  const categories = await seedCategories(db);
  const { email, password, name } = config.admin;
  const admin = email && password ? await upsertAdmin(db, { email, password, name }) : 'skipped';
  const demoJobs = options.demo ? await seedDemoJobs(db) : 0;
  return { categories, admin, demoJobs };
}
