/** PATCH /api/v1/cvs/:id/profile: the seeker's corrections, kept apart from the extraction. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withContext } from '../../src/db/context.ts';
import { cvs } from '../../src/db/schema/index.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInUser } from '../helpers/auth.ts';
import { multipartBody } from '../helpers/documents.ts';

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

const cvText = [
  'Priya Raman',
  'priya.raman@example.test | +91 98765 43210',
  'Experience',
  'Senior Software Engineer, Chai Payments   Jan 2020 - Present',
  'Built the settlement service.',
  'Skills',
  'Node.js, TypeScript, PostgreSQL',
].join('\n');

async function uploaded(headers: Record<string, string>) {
  const { payload, headers: multipart } = multipartBody({
    name: 'cv.txt',
    type: 'text/plain',
    bytes: Buffer.from(cvText),
  });
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/cvs',
    headers: { ...headers, ...multipart },
    payload,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; corrections: object };
}
const patch = (headers: Record<string, string>, id: string, body: unknown) =>
  ctx.app.inject({ method: 'PATCH', url: `/api/v1/cvs/${id}/profile`, headers, payload: body as object });
const get = (headers: Record<string, string>, id: string) =>
  ctx.app.inject({ method: 'GET', url: `/api/v1/cvs/${id}`, headers }).then((r) => r.json());

describe('correcting a profile', () => {
  it('replaces the fields sent, answers and returns the effective profile, and updates the skills column', async () => {
    const me = await signedInUser(ctx.database.db);
    const cv = await uploaded(me.headers);
    expect(cv.corrections).toEqual({});
    const res = await patch(me.headers, cv.id, {
      experience: [
        { title: 'Senior Software Engineer', company: 'Chai Payments Ltd', start: 'Jan 2020', end: 'Present' },
        { title: 'Intern', company: 'Masala Logistics', start: '2019', end: '2019' },
      ],
      skills: ['Node.js', 'k8s'],
      location: 'Pune, India',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().profile.skills).toEqual({ value: ['node.js', 'kubernetes'], confidence: 1 });
    const after = await get(me.headers, cv.id);
    expect(after.profile.experience.value.map((j: { company: string }) => j.company)).toEqual([
      'Chai Payments Ltd',
      'Masala Logistics',
    ]);
    expect(after.profile.experience.value[1].description).toBe('');
    expect(after.profile.location).toEqual({ value: 'Pune, India', confidence: 1 });
    expect(after.profile.name.value).toBe('Priya Raman'); // not corrected: the extraction stands
    expect(after.skills).toEqual(['node.js', 'kubernetes']);
    expect(Object.keys(after.corrections).sort()).toEqual(['experience', 'location', 'skills']);
  });

  it('keeps corrections when the extraction changes, and drops them on reset', async () => {
    const me = await signedInUser(ctx.database.db);
    const cv = await uploaded(me.headers);
    expect((await patch(me.headers, cv.id, { name: 'Priya R. Raman', skills: ['Go'] })).statusCode).toBe(200);
    // What reading the file again does: a new extracted profile in its own column.
    await withContext(ctx.database.db, { kind: 'user', userId: me.user.id }, (tx) =>
      tx
        .update(cvs)
        .set({ profile: { name: { value: 'P Raman', confidence: 0.5 }, skills: { value: ['rust'], confidence: 0.8 } } })
        .where(eq(cvs.id, cv.id)),
    );
    expect((await get(me.headers, cv.id)).profile.name.value).toBe('Priya R. Raman');
    const reset = await patch(me.headers, cv.id, { reset: ['skills'] });
    expect(reset.statusCode, reset.body).toBe(200);
    const after = await get(me.headers, cv.id);
    expect(after.profile.skills.value).toEqual(['rust']);
    expect(after.skills).toEqual(['rust']);
    expect(after.corrections).toEqual({ name: 'Priya R. Raman' });
  });

  it('corrects education with its field of study and grade; entries stored without them read as naming neither', async () => {
    const me = await signedInUser(ctx.database.db);
    const cv = await uploaded(me.headers);
    const degree = { degree: 'B.Tech', field: 'Computer Science', institution: 'XYZ Institute', grade: '8.1 CGPA' };
    const res = await patch(me.headers, cv.id, { education: [degree, { degree: 'MBA', institution: null }] });
    expect(res.statusCode, res.body).toBe(200);
    expect((await get(me.headers, cv.id)).profile.education.value).toEqual([
      { ...degree, start: null, end: null },
      { degree: 'MBA', field: null, institution: null, grade: null, start: null, end: null },
    ]);
    // An extracted profile and a correction stored before the two fields existed.
    const old = { institution: 'Old University', degree: 'B.Sc', start: '2001', end: '2004' };
    await withContext(ctx.database.db, { kind: 'user', userId: me.user.id }, (tx) =>
      tx
        .update(cvs)
        .set({ profile: { education: { value: [old], confidence: 0.7 } }, profileCorrections: {} })
        .where(eq(cvs.id, cv.id)),
    );
    expect((await get(me.headers, cv.id)).profile.education.value).toEqual([{ ...old, field: null, grade: null }]);
    await withContext(ctx.database.db, { kind: 'user', userId: me.user.id }, (tx) =>
      tx
        .update(cvs)
        .set({ profileCorrections: { education: [old] } })
        .where(eq(cvs.id, cv.id)),
    );
    const corrected = await get(me.headers, cv.id);
    expect(corrected.profile.education.value).toEqual([{ ...old, field: null, grade: null }]);
    expect(corrected.corrections.education).toEqual([{ ...old, field: null, grade: null }]);
    // Correcting another field answers with the stored ones in the current shape too.
    const other = await patch(me.headers, cv.id, { name: 'Priya Raman' });
    expect(other.statusCode, other.body).toBe(200);
    expect(other.json().corrections.education).toEqual([{ ...old, field: null, grade: null }]);
  });

  it('corrects the headline (trimmed, or null), resets it, and reads a profile stored before headlines as naming none', async () => {
    const me = await signedInUser(ctx.database.db);
    const cv = await uploaded(me.headers);
    // The CV states no role under the name: the extraction found none.
    expect((await get(me.headers, cv.id)).profile.headline).toEqual({ value: null, confidence: 0 });
    const res = await patch(me.headers, cv.id, { headline: '  Platform Engineer ' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().profile.headline).toEqual({ value: 'Platform Engineer', confidence: 1 });
    expect((await get(me.headers, cv.id)).corrections).toEqual({ headline: 'Platform Engineer' });
    const cleared = await patch(me.headers, cv.id, { headline: null });
    expect(cleared.json().profile.headline).toEqual({ value: null, confidence: 1 });
    for (const body of [{ headline: 'x'.repeat(201) }, { headline: 42 }, { headline: ['Engineer'] }]) {
      const bad = await patch(me.headers, cv.id, body);
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
      expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    }
    const reset = await patch(me.headers, cv.id, { reset: ['headline'] });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json().profile.headline).toEqual({ value: null, confidence: 0 });
    // A profile extracted before the field existed has no headline at all.
    await withContext(ctx.database.db, { kind: 'user', userId: me.user.id }, (tx) =>
      tx
        .update(cvs)
        .set({ profile: { name: { value: 'Priya Raman', confidence: 0.95 } }, profileCorrections: {} })
        .where(eq(cvs.id, cv.id)),
    );
    const old = await get(me.headers, cv.id);
    expect(old.profile.headline).toEqual({ value: null, confidence: 0 });
    expect(old.profile.name.value).toBe('Priya Raman');
    const corrected = await patch(me.headers, cv.id, { location: 'Chennai, India' });
    expect(corrected.json().profile.headline).toEqual({ value: null, confidence: 0 });
  });

  it('applies concurrent corrections of different fields all', async () => {
    const me = await signedInUser(ctx.database.db);
    const cv = await uploaded(me.headers);
    const results = await Promise.all([
      patch(me.headers, cv.id, { name: 'Priya Raman-Iyer' }),
      patch(me.headers, cv.id, { phone: '+91 90000 00000' }),
      patch(me.headers, cv.id, { languages: ['English', 'Tamil'] }),
    ]);
    for (const r of results) expect(r.statusCode, r.body).toBe(200);
    expect(Object.keys((await get(me.headers, cv.id)).corrections).sort()).toEqual(['languages', 'name', 'phone']);
  });

  it('answers 404 for another user’s CV and for none, and 400 for malformed corrections', async () => {
    const owner = await signedInUser(ctx.database.db);
    const other = await signedInUser(ctx.database.db);
    const cv = await uploaded(owner.headers);
    expect((await patch(other.headers, cv.id, { name: 'Mallory' })).statusCode).toBe(404);
    expect((await patch(owner.headers, '00000000-0000-4000-8000-000000000000', { name: 'X' })).statusCode).toBe(404);
    expect((await patch(owner.headers, 'not-a-uuid', { name: 'X' })).statusCode).toBe(400);
    for (const body of [
      {},
      { nickname: 'x' },
      { email: 'not an e-mail' },
      { skills: 'Go' },
      { skills: Array.from({ length: 201 }, (_, i) => `s${i}`) },
      { experience: [{ title: 'A', company: 'B', salary: 1 }] },
      { education: [{ degree: 'B.Sc', institution: 'U', grade: 'x'.repeat(41) }] },
      { education: [{ degree: 'B.Sc', institution: 'U', field: 7 }] },
      { name: 'x'.repeat(201) },
      { totalYearsExperience: -1 },
      { reset: ['password'] },
    ]) {
      const res = await patch(owner.headers, cv.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect((await get(owner.headers, cv.id)).corrections).toEqual({});
    expect((await patch({}, cv.id, { name: 'X' })).statusCode).toBe(401);
  });
});
