import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';

export const DEMO = { email: 'demo@jobr.localhost', password: 'jobr-demo-2026' };
/** Set by test/web/e2e.test.ts (ADMIN_EMAIL / ADMIN_PASSWORD). */
export const ADMIN = { email: 'admin@jobr.localhost', password: 'e2e-admin-password-1' };
export const SCREENSHOTS = process.env.E2E_SCREENSHOTS ?? 'test-results/screenshots';

export async function signIn(page: Page, identifier = DEMO.email, password = DEMO.password) {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail or phone number').fill(identifier);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** Presses Tab until `target` has focus: proves it can be reached with the keyboard alone. */
export async function tabTo(page: Page, target: Locator, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (
      await target
        .evaluate(
          (el) => el === (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement,
        )
        .catch(() => false)
    )
      return;
  }
  throw new Error(`could not reach ${target} with Tab in ${max} presses`);
}

/** No serious or critical axe violations on the current page. */
export async function expectAccessible(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}

export async function screenshots(page: Page, name: string) {
  for (const [label, width] of [
    ['phone', 390],
    ['desktop', 1280],
  ] as const) {
    await page.setViewportSize({ width, height: label === 'phone' ? 844 : 800 });
    await page.screenshot({ path: `${SCREENSHOTS}/${name}-${label}.png`, fullPage: true });
  }
}

/** Registers a new seeker through the register page and leaves them signed in. */
export async function registerNew(page: Page, prefix: string, email = `${prefix}-${Date.now()}@example.com`) {
  const password = 'a-long-unusual-passphrase-42';
  await page.goto('/register');
  await page.getByLabel('Your name').fill(`E2E ${prefix}`);
  await page.getByLabel('E-mail address').fill(email);
  await page.locator('#new-password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  return { email, password };
}
