/**
 * Test data factories: each creates what it needs and any missing parent (a CV gets a user, an
 * application gets a job and a CV). They write as the owner connection, outside row-level security.
 * All names and addresses are fictional.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/client.ts';
import { applications, cvs, jobs, users } from '../../src/db/schema/index.ts';
import { parseProfile } from '../../src/modules/cvs/profile.ts';

type NewUser = typeof users.$inferInsert;
type NewJob = typeof jobs.$inferInsert;
type NewCv = typeof cvs.$inferInsert;
type NewApplication = typeof applications.$inferInsert;

const unique = () => randomUUID().slice(0, 8);

export async function createUser(db: Db, values: Partial<NewUser> = {}) {
  const [row] = await db
    .insert(users)
    .values({ name: 'Test Person', email: `person-${unique()}@example.test`, ...values })
    .returning();
  if (!row) throw new Error('user not created');
  return row;
}

export async function createJob(db: Db, values: Partial<NewJob> = {}) {
  const [row] = await db
    .insert(jobs)
    .values({ title: 'Software Engineer', company: 'Example Corp', description: 'Build things.', ...values })
    .returning();
  if (!row) throw new Error('job not created');
  return row;
}

export async function createCv(db: Db, values: Partial<NewCv> = {}) {
  const userId = values.userId ?? (await createUser(db)).id;
  const [row] = await db
    .insert(cvs)
    .values({ fileName: 'cv.txt', fileSize: 100, parsedContent: 'Experienced engineer.', ...values, userId })
    .returning();
  if (!row) throw new Error('cv not created');
  return row;
}

/** A CV of `text` as an upload stores it: the text, the profile read from it and its skills. */
export async function createParsedCv(db: Db, userId: string, text: string) {
  const profile = parseProfile(text);
  return createCv(db, { userId, parsedContent: text, profile, skills: profile.skills.value });
}

export async function createApplication(db: Db, values: Partial<NewApplication> = {}) {
  const userId = values.userId ?? (await createUser(db)).id;
  const jobId = values.jobId ?? (await createJob(db)).id;
  const cvId = values.cvId ?? (await createCv(db, { userId })).id;
  const [row] = await db
    .insert(applications)
    .values({ ...values, userId, jobId, cvId })
    .returning();
  if (!row) throw new Error('application not created');
  return row;
}
