/** Row-level security, the request context, and the database's own triggers (history, audit). */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.ts';
import { anonymous, systemActor, withContext } from '../../src/db/context.ts';
import { applicationStatusHistory, applications, auditLog, cvs, users } from '../../src/db/schema/index.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createApplication, createCv, createUser } from '../helpers/factories.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

describe('row-level security', () => {
  it('shows a user only their own rows, and an anonymous request none', async () => {
    const { db } = database;
    const a = await createUser(db);
    const b = await createUser(db);
    const cvA = await createCv(db, { userId: a.id });
    await createCv(db, { userId: b.id });

    const seenByA = await withContext(db, { kind: 'user', userId: a.id }, (tx) => tx.select().from(cvs));
    expect(seenByA.map((c) => c.id)).toEqual([cvA.id]);
    const seenAnon = await withContext(db, anonymous, (tx) => tx.select().from(cvs));
    expect(seenAnon).toEqual([]);
    const seenByAdmin = await withContext(db, systemActor, (tx) => tx.select().from(cvs));
    expect(seenByAdmin.length).toBeGreaterThanOrEqual(2);
  });

  it('forbids writing rows for another user and updating or deleting theirs', async () => {
    const { db } = database;
    const a = await createUser(db);
    const b = await createUser(db);
    const cvB = await createCv(db, { userId: b.id });
    await expect(
      withContext(db, { kind: 'user', userId: a.id }, (tx) =>
        tx.insert(cvs).values({ userId: b.id, fileName: 'x.txt', fileSize: 1, parsedContent: 'x' }),
      ),
    ).rejects.toThrow();
    const updated = await withContext(db, { kind: 'user', userId: a.id }, (tx) =>
      tx.update(cvs).set({ fileName: 'stolen.txt' }).where(eq(cvs.id, cvB.id)).returning(),
    );
    expect(updated).toEqual([]);
    const deleted = await withContext(db, { kind: 'user', userId: a.id }, (tx) =>
      tx.delete(cvs).where(eq(cvs.id, cvB.id)).returning(),
    );
    expect(deleted).toEqual([]);
  });

  it('does not carry one request identity into the next use of a pooled connection', async () => {
    const { db } = database;
    const a = await createUser(db);
    await createCv(db, { userId: a.id });
    for (let i = 0; i < 5; i++) {
      await withContext(db, { kind: 'user', userId: a.id }, (tx) => tx.select().from(cvs));
      const leaked = await withContext(db, anonymous, (tx) =>
        tx.execute(sql`select current_setting('app.current_user_id', true) as uid, current_user as role`),
      );
      expect(rowsOf(leaked)[0]).toMatchObject({ uid: '', role: 'jobr_app' });
      expect(await withContext(db, anonymous, (tx) => tx.select().from(cvs))).toEqual([]);
    }
  });

  it('shows status history only for the owner of the application', async () => {
    const { db } = database;
    const app = await createApplication(db);
    const stranger = await createUser(db);
    const mine = await withContext(db, { kind: 'user', userId: app.userId }, (tx) =>
      tx.select().from(applicationStatusHistory).where(eq(applicationStatusHistory.applicationId, app.id)),
    );
    expect(mine.map((h) => h.status)).toEqual(['submitted']);
    const theirs = await withContext(db, { kind: 'user', userId: stranger.id }, (tx) =>
      tx.select().from(applicationStatusHistory).where(eq(applicationStatusHistory.applicationId, app.id)),
    );
    expect(theirs).toEqual([]);
  });
});

describe('triggers', () => {
  it('records every status change in history, also one made by SQL directly, with notes', async () => {
    const { db } = database;
    const app = await createApplication(db);
    await withContext(
      db,
      { kind: 'user', userId: app.userId },
      (tx) => tx.update(applications).set({ status: 'reviewing' }).where(eq(applications.id, app.id)),
      { statusNotes: 'Recruiter called' },
    );
    await database.superuserQuery(`update applications set status = 'interview' where id = $1`, [app.id]);
    await database.superuserQuery(`update applications set cover_letter = 'edited' where id = $1`, [app.id]);
    const history = await database.superuserQuery<{ status: string; notes: string | null }>(
      'select status, notes from application_status_history where application_id = $1 order by created_at, status desc',
      [app.id],
    );
    expect(history.map((h) => h.status)).toEqual(['submitted', 'reviewing', 'interview']);
    expect(history[1]?.notes).toBe('Recruiter called');
  });

  it('bumps updated_at on update', async () => {
    const { db } = database;
    const user = await createUser(db);
    await database.superuserQuery(`update users set updated_at = now() - interval '1 day' where id = $1`, [user.id]);
    await db.update(users).set({ name: 'Renamed Person' }).where(eq(users.id, user.id));
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(Date.now() - (row?.updatedAt.getTime() ?? 0)).toBeLessThan(60_000);
  });

  it('audits user changes without ever storing the password hash, and credits the actor', async () => {
    const { db } = database;
    const user = await createUser(db, { passwordHash: 'argon2-secret-hash' });
    await withContext(db, { kind: 'admin', userId: user.id }, (tx) =>
      tx.update(users).set({ passwordHash: 'argon2-new-secret-hash' }).where(eq(users.id, user.id)),
    );
    const rows = await db.select().from(auditLog).where(eq(auditLog.recordId, user.id));
    expect(rows.map((r) => r.action).sort()).toEqual(['INSERT', 'UPDATE']);
    expect(JSON.stringify(rows)).not.toContain('secret-hash');
    expect(rows.find((r) => r.action === 'UPDATE')?.changedBy).toBe(user.id);
  });

  it('lets the application role read the audit log only as an administrator, and never write it', async () => {
    const { db } = database;
    const user = await createUser(db);
    expect(await withContext(db, { kind: 'user', userId: user.id }, (tx) => tx.select().from(auditLog))).toEqual([]);
    expect((await withContext(db, systemActor, (tx) => tx.select().from(auditLog))).length).toBeGreaterThan(0);
    await expect(
      withContext(db, systemActor, (tx) => tx.delete(auditLog).where(eq(auditLog.recordId, user.id))),
    ).rejects.toThrow();
  });

  it('keeps the audit trail when the acting user deletes their own account', async () => {
    const { db } = database;
    const user = await createUser(db);
    await withContext(db, { kind: 'user', userId: user.id }, (tx) => tx.delete(users).where(eq(users.id, user.id)));
    const rows = await db.select().from(auditLog).where(eq(auditLog.recordId, user.id));
    expect(rows.find((r) => r.action === 'DELETE')).toMatchObject({ changedBy: null });
  });
});
