/**
 * PhonePe UPI AutoPay in the browser: the plans page sends the seeker to PhonePe's page (the fake's
 * hosted page, started by test/web/e2e.test.ts), where they decline or approve; back on the billing
 * page the server asks PhonePe for the order before the plan changes.
 */
import { expect, test } from '@playwright/test';
import { expectAccessible, registerNew, screenshots } from './helpers.ts';

test('UPI AutoPay: a declined mandate grants nothing; an approved one is shown with its state, then cancelled', async ({
  page,
}) => {
  await registerNew(page, 'autopay');
  const setUp = async (decision: 'Approve' | 'Decline') => {
    await page.goto('/plans');
    await page.getByRole('button', { name: 'Upgrade to Premium: Pay every month automatically (UPI AutoPay)' }).click();
    await expect(page.getByRole('heading', { name: 'Set up UPI AutoPay and pay ₹499.00' })).toBeVisible();
    await page.getByRole('button', { name: decision }).click();
    await expect(page).toHaveURL(/\/billing\?order=JOBRM/);
  };

  await setUp('Decline');
  await expect(page.getByText('We are confirming the payment with the provider')).toBeVisible();
  await expect(page.getByRole('cell', { name: 'failed' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Your plan: Free' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'UPI AutoPay (PhonePe)' })).toHaveCount(0);

  await setUp('Approve');
  await expect(page.getByRole('heading', { name: 'Your plan: Premium' })).toBeVisible();
  const autopay = page.getByRole('region', { name: 'UPI AutoPay (PhonePe)' });
  await expect(autopay).toContainText('Active');
  await expect(autopay).toContainText('PhonePe debits your Premium plan every month; next renewal on');
  await expect(page.getByRole('cell', { name: 'succeeded' })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'billing-autopay');

  await autopay.getByRole('button', { name: 'Cancel UPI AutoPay' }).click();
  await expect(autopay).toContainText('Cancelled');
  await expect(autopay).toContainText('Nothing more will be debited. Your Premium plan ends on');
  // The paid month stays; a PhonePe mandate cannot be resumed (a new one is set up from the plans page).
  await expect(page.getByRole('heading', { name: 'Your plan: Premium' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Resume the subscription' })).toHaveCount(0);
  await expect(autopay.getByRole('link', { name: 'Set up UPI AutoPay again' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('region', { name: 'UPI AutoPay (PhonePe)' })).toContainText('Cancelled');
  await expectAccessible(page);
});
