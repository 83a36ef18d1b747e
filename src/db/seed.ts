/**
 * `jobr seed` / `npm run db:seed`: job categories, the first administrator (from configuration,
 * never a fixed password) and the demo catalogue. Every step is idempotent.
 */
import { eq, isNull, sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import { hashPassword } from '../lib/passwords.ts';
import { apply, changeStatus } from '../modules/applications/applications.service.ts';
import { uploadCv } from '../modules/cvs/cvs.service.ts';
import { fileStorage } from '../modules/cvs/storage.ts';
import { jobValues } from '../modules/jobs/jobs.service.ts';
import { addWords, vocabularyOf } from '../modules/jobs/suggest.ts';
import type { Db } from './client.ts';
import { inWork, systemActor, withContext } from './context.ts';
import { demoCatalogue, demoCategories } from './demo-catalogue.ts';
import { jobCategories, jobs, users } from './schema/index.ts';

export type SeedReport = {
  categories: number;
  admin: 'created' | 'updated' | 'skipped';
  demoJobs: number;
  demoSeeker: 'created' | 'skipped';
};

/**
 * The demo job seeker a newcomer signs in as (README quick start). Development data only: it is
 * seeded with the demo catalogue, which is off by default in production (SEED_DEMO_DATA).
 */
export const DEMO_SEEKER = { email: 'demo@jobr.localhost', password: 'jobr-demo-2026', name: 'Asha Demo' } as const;

const DEMO_CV = `Asha Demo
demo@jobr.localhost | +91 98765 43210 | Bengaluru, India

Summary
Backend engineer with six years of experience building APIs and data pipelines.

Skills
TypeScript, Node.js, PostgreSQL, React, Docker, AWS, Python

Experience
Senior Software Engineer, Example Tech — Jan 2021 to Present
Built the payments API in Node.js and PostgreSQL serving two million requests a day.

Software Engineer, Sample Systems — Jul 2018 to Dec 2020
Wrote data pipelines in Python and a React dashboard for operations.

Education
B.Tech Computer Science, Example Institute of Technology, 2014 to 2018
`;

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
  // In the administrator context: only there may the application role create or promote an administrator.
  return withContext(db, systemActor, async (tx) => {
    const [existing] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email}`);
    if (existing) {
      await tx.update(users).set({ role: 'admin', passwordHash }).where(eq(users.id, existing.id));
      return 'updated';
    }
    await tx
      .insert(users)
      .values({ email, name: admin.name, passwordHash, role: 'admin', verified: true, plan: 'Enterprise' });
    return 'created';
  });
}

/** Inserts the demo catalogue only into an empty catalogue, so real data is never mixed with it. */
export async function seedDemoJobs(db: Db, now = new Date()): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(jobs).where(isNull(jobs.ownerUserId));
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
  await addWords(db, vocabularyOf(values.flatMap((v) => [v.title, v.company, ...v.skills, ...v.textSkills])));
  return values.length;
}

export async function seed(db: Db, config: Config, options: { demo: boolean }): Promise<SeedReport> {
  const categories = await seedCategories(db);
  const { email, password, name } = config.admin;
  const admin = email && password ? await upsertAdmin(db, { email, password, name }) : 'skipped';
  const demoJobs = options.demo ? await seedDemoJobs(db) : 0;
  const demoSeeker = options.demo && demoJobs > 0 ? await seedDemoSeeker(db, config) : 'skipped';
  return { categories, admin, demoJobs, demoSeeker };
}

/** The demo seeker with a CV and a few applications at different stages, so the app opens populated. */
export async function seedDemoSeeker(db: Db, config: Config): Promise<'created' | 'skipped'> {
  const [existing] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = ${DEMO_SEEKER.email}`);
  if (existing) return 'skipped';
  const [user] = await db
    .insert(users)
    .values({
      email: DEMO_SEEKER.email,
      name: DEMO_SEEKER.name,
      passwordHash: await hashPassword(DEMO_SEEKER.password),
      verified: true,
    })
    .returning({ id: users.id });
  if (!user) return 'skipped';
  const storage = fileStorage(config, db);
  const actor = { kind: 'user', userId: user.id } as const;
  const cv = await uploadCv((fn) => inWork(db, actor, fn), storage, config.plans, user.id, {
    fileName: 'asha-demo-cv.txt',
    bytes: Buffer.from(DEMO_CV),
  });
  const picks = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(isNull(jobs.ownerUserId))
    .orderBy(jobs.postedDate)
    .limit(4);
  const moves: Array<Array<'reviewing' | 'interview' | 'rejected'>> = [
    ['reviewing', 'interview'],
    ['rejected'],
    ['reviewing'],
    [],
  ];
  for (const [index, job] of picks.entries()) {
    // A unit of work per step, as a request would: each move gets its own history timestamp.
    const application = await inWork(db, actor, (w) =>
      apply(w, config.plans, user.id, {
        jobId: job.id,
        cvId: cv.id,
        coverLetter: 'I would love to bring my Node.js and PostgreSQL experience to your team.',
      }),
    );
    for (const status of moves[index] ?? []) {
      await inWork(db, actor, (w) =>
        changeStatus(w, application.id, {
          status,
          by: { userId: user.id, viaApiKey: false },
          publicUrl: config.publicUrl,
        }),
      );
    }
  }
  return 'created';
}
