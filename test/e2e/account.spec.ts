/**
 * The account's data export (downloaded and opened) and "Sign in with Google" through the fake OpenID
 * provider that test/web/e2e.test.ts starts (it approves at once and always signs in as
 * someone@example.test, the identity these journeys use).
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import JSZip from 'jszip';
import { DEMO, expectAccessible, registerNew, signIn } from './helpers.ts';

test('download my data: the ZIP holds the account and the CV; another user gets "not found"', async ({
  page,
  browser,
}) => {
  await signIn(page);
  await page.goto('/account');
  const data = page.getByRole('region', { name: 'Your data' });
  await data.getByRole('button', { name: 'Ask for a copy of my data' }).click();
  // The server's queue builds it (TASKS_ENABLED); the page looks again every two seconds.
  const link = data.getByRole('link', { name: 'Download the export' }).first();
  await expect(link).toBeVisible({ timeout: 45_000 });
  const href = (await link.getAttribute('href')) ?? '';
  expect(href).toMatch(/^\/api\/v1\/me\/exports\/[0-9a-f-]{36}\/download$/);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toMatch(/\.zip$/);
  const zip = await JSZip.loadAsync(await readFile(await download.path()));
  const json = async (name: string) => JSON.parse((await zip.file(name)?.async('string')) ?? 'null');
  const [account] = await json('data/users.json');
  expect(account).toMatchObject({ email: DEMO.email });
  expect(account).not.toHaveProperty('password_hash');
  const cvs = (await json('data/cvs.json')) as Array<{ id: string }>;
  expect(cvs.length).toBeGreaterThan(0);
  const cvFiles = zip.file(/^cvs\//);
  expect(cvFiles.map((f) => f.name.slice('cvs/'.length, 'cvs/'.length + 36)).sort()).toEqual(
    cvs.map((c) => c.id).sort(),
  );
  expect((await cvFiles[0]?.async('uint8array'))?.length).toBeGreaterThan(100);

  // Someone else with the same link: not found, and nothing of the demo seeker's on their page.
  const context = await browser.newContext();
  const other = await context.newPage();
  await registerNew(other, 'export-other');
  const res = await other.request.get(href);
  expect(res.status()).toBe(404);
  expect((await res.json()).error.code).toBe('EXPORT_NOT_FOUND');
  await other.goto('/account');
  await expect(other.getByRole('region', { name: 'Your data' }).getByRole('link')).toHaveCount(0);
  await context.close();
});

test('sign in with Google: the button only when configured, linking an existing account, errors explained', async ({
  page,
}) => {
  // A server without providers (answered here): no button.
  await page.route('**/api/v1/auth/oauth/providers', (r) => r.fulfill({ json: { providers: [] } }));
  await page.goto('/sign-in');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign in with Google' })).toHaveCount(0);
  await page.unrouteAll();

  // The provider's e-mail already has a password account: its password links Google to it.
  const { password } = await registerNew(page, 'google', 'someone@example.test');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Sign in with Google' }).click();
  await expect(page).toHaveURL(/\/sign-in\?oauthError=OAUTH_LINK_REQUIRED&provider=google$/);
  const link = page.getByRole('form', { name: 'Link Google to your account' });
  await expect(link).toContainText('You already have a Jobr account with this e-mail address');
  await expectAccessible(page);
  await link.getByLabel('Your Jobr password').fill(password);
  await link.getByRole('button', { name: 'Link Google and sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

  // Linked: the next time Google alone signs in, through the provider and back.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Sign in with Google' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe('/');
  const me = await page.request.get('/api/v1/me');
  expect(await me.json()).toMatchObject({ email: 'someone@example.test', linkedProviders: ['google'] });

  // Refused at the provider (or a replayed callback): a sentence on the sign-in page, never JSON.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto('/api/v1/auth/oauth/google/callback?error=access_denied');
  await expect(page).toHaveURL(/\/sign-in\?oauthError=OAUTH_FAILED/);
  await expect(page.getByRole('alert')).toHaveText('Signing in with that provider failed. Please start again.');
  await expect(page.getByText('{')).toHaveCount(0);
  await expectAccessible(page);
});
