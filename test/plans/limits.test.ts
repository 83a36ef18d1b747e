/** Plan limits and the usage period come from configuration (PLAN_LIMITS, PLAN_PERIOD), checked at start-up. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { DEFAULT_PLAN_LIMITS, usagePeriodStart, usageResetsAt } from '../../src/modules/plans/plans.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInUser } from '../helpers/auth.ts';
import { createJob, createParsedCv } from '../helpers/factories.ts';

describe('PLAN_LIMITS and PLAN_PERIOD in the configuration', () => {
  it('merges limits over the defaults; null is unlimited', () => {
    const { plans } = loadConfig({ PLAN_LIMITS: '{"Free":{"cover_letter_generated":1,"ai_match":null}}' });
    expect(plans.limits.Free).toEqual({ ...DEFAULT_PLAN_LIMITS.Free, cover_letter_generated: 1, ai_match: null });
    expect(plans.limits.Premium).toEqual(DEFAULT_PLAN_LIMITS.Premium);
    expect(plans.period).toBe('month');
    expect(loadConfig({}).plans.limits).toEqual(DEFAULT_PLAN_LIMITS);
  });

  it.each([
    ['not JSON', '{Free: 1'],
    ['an unknown plan', '{"Gold":{"ai_match":5}}'],
    ['an unknown action', '{"Free":{"ai_matches":5}}'],
    ['a negative limit', '{"Free":{"ai_match":-1}}'],
    ['a fraction', '{"Free":{"ai_match":1.5}}'],
    ['a string', '{"Free":{"ai_match":"5"}}'],
  ])('refuses %s, naming PLAN_LIMITS', (_label, value) => {
    expect(() => loadConfig({ PLAN_LIMITS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ PLAN_LIMITS: value })).toThrow(/PLAN_LIMITS/);
  });

  it('refuses an unknown period, naming PLAN_PERIOD', () => {
    expect(() => loadConfig({ PLAN_PERIOD: 'fortnight' })).toThrow(/PLAN_PERIOD/);
  });

  it('periods start on the UTC day, Monday or first of the month, and reset at the next', () => {
    const now = new Date('2026-12-03T15:00:00Z'); // a Thursday
    expect(usagePeriodStart(now, 'day').toISOString()).toBe('2026-12-03T00:00:00.000Z');
    expect(usageResetsAt(now, 'day').toISOString()).toBe('2026-12-04T00:00:00.000Z');
    expect(usagePeriodStart(now, 'week').toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(usageResetsAt(now, 'week').toISOString()).toBe('2026-12-07T00:00:00.000Z');
    expect(usagePeriodStart(new Date('2026-11-29T23:59:00Z'), 'week').toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(usagePeriodStart(now, 'month').toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(usageResetsAt(now, 'month').toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});

describe('a configured limit', () => {
  let ctx: TestContext & { close(): Promise<void> };
  beforeAll(async () => {
    ctx = await createTestApp({
      env: { PLAN_LIMITS: '{"Free":{"cover_letter_generated":1,"ai_match":null}}', PLAN_PERIOD: 'week' },
    });
  });
  afterAll(async () => ctx?.close());

  it('is what GET /plans and GET /me/usage show, and is enforced', async () => {
    const plans = (await ctx.app.inject({ method: 'GET', url: '/api/v1/plans' })).json().data;
    expect(plans.find((p: { name: string }) => p.name === 'Free')).toMatchObject({
      period: 'week',
      limits: { cover_letter_generated: 1, ai_match: null, cv_upload: DEFAULT_PLAN_LIMITS.Free.cv_upload },
    });

    const me = await signedInUser(ctx.database.db);
    const cv = await createParsedCv(
      ctx.database.db,
      me.user.id,
      'Robin Example\nFrontend Developer, Initech, 2019 - Present\nSkills\nReact, TypeScript\n',
    );
    const job = await createJob(ctx.database.db, { title: 'React Engineer', requirements: ['React'] });
    const letter = () =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/v1/cover-letters',
        headers: me.headers,
        payload: { jobId: job.id, cvId: cv.id },
      });
    expect((await letter()).statusCode).toBe(201);
    const refused = await letter();
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.details).toMatchObject({
      action: 'cover_letter_generated',
      limit: 1,
      used: 1,
      period: 'week',
      resetsAt: usageResetsAt(new Date(), 'week').toISOString(),
      upgradeTo: ['Premium', 'Enterprise'],
    });

    const usage = (await ctx.app.inject({ method: 'GET', url: '/api/v1/me/usage', headers: me.headers })).json();
    expect(usage).toMatchObject({ plan: 'Free', period: 'week' });
    const line = (a: string) => usage.actions.find((l: { action: string }) => l.action === a);
    expect(line('cover_letter_generated')).toMatchObject({ used: 1, limit: 1 });
    expect(line('ai_match')).toMatchObject({ limit: null });
  });
});
