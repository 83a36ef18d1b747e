/**
 * Issue 15: a seeker adds a job found elsewhere from the tracker, by its address (a page served here on
 * loopback; the server under test allows 127.0.0.1 through FETCH_ALLOWED_ADDRESSES) or, when the page has
 * no job posting, by the short form; applies to it; and nobody else can open it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './helpers.ts';

test.describe.configure({ mode: 'serial' });

const posting = {
  '@context': 'https://schema.org',
  '@type': 'JobPosting',
  title: 'Lighthouse Keeper (e2e)',
  description: '<p>Keep the light burning on Fictional Rock.</p>',
  hiringOrganization: { '@type': 'Organization', name: 'Coastal Fictional Trust' },
  jobLocation: { '@type': 'Place', address: { addressLocality: 'Porthfict', addressCountry: 'GB' } },
};

let pages: Server;
let pagesUrl = '';

test.beforeAll(async () => {
  pages = createServer((req, res) => {
    const body =
      req.url === '/posting'
        ? `<html><head><script type="application/ld+json">${JSON.stringify(posting)}</script></head><body>Job</body></html>`
        : '<html><body><p>Send your letter by post.</p></body></html>';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  pagesUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  pages.closeAllConnections();
  await new Promise((resolve) => pages.close(resolve));
});

test('track a job found elsewhere: by address, by the short form when the page has none; apply; private', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/applications');
  const section = page.getByRole('region', { name: 'Add a job you found elsewhere' });
  await expect(section).toBeVisible();
  await expectAccessible(page);

  // A page without a posting: the reason, and the short form with the address already in it.
  await section.getByLabel('Address of the job posting').fill(`${pagesUrl}/plain`);
  await section.getByRole('button', { name: 'Add from the address' }).click();
  await expect(section.getByRole('alert')).toContainText('no job posting we can read');
  await expect(section.getByLabel('Address of the posting (optional)')).toHaveValue(`${pagesUrl}/plain`);
  await expectAccessible(page);
  await section.getByLabel('Job title').fill('Harbour Pilot (e2e)');
  await section.getByLabel('Company').fill('Fictional Ports');
  await section.getByLabel('Location (optional)').fill('Porthfict, UK');
  await section.getByRole('button', { name: 'Add the job' }).click();

  // It opens like any job, marked as the seeker's own.
  await expect(page.getByRole('heading', { level: 1, name: 'Harbour Pilot (e2e)' })).toBeVisible();
  await expect(page.getByText('Tracked by you')).toBeVisible();
  await expectAccessible(page);
  const trackedUrl = page.url();

  await page.getByRole('button', { name: 'Apply' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel('CV')).toBeVisible();
  await dialog.getByRole('button', { name: 'Send application' }).click();
  await expect(page.getByText('You applied to this job.')).toBeVisible();
  await page.getByRole('link', { name: 'See your applications' }).click();
  const card = page.locator('.app-card', { hasText: 'Harbour Pilot (e2e)' });
  await expect(card.getByText('Tracked by you')).toBeVisible();

  // A page with a posting: read from the page.
  await page.getByLabel('Address of the job posting').fill(`${pagesUrl}/posting`);
  await page.getByRole('button', { name: 'Add from the address' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Lighthouse Keeper (e2e)' })).toBeVisible();
  await expect(page.getByText('Coastal Fictional Trust')).toBeVisible();
  await page.goto('/applications');
  await expect(page.getByRole('link', { name: 'Lighthouse Keeper (e2e) at Coastal Fictional Trust' })).toBeVisible();

  // Not in the catalogue, and nobody else's to open.
  await page.goto('/?q=Harbour%20Pilot');
  await expect(page.getByText('No jobs match this search.')).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await page.goto(trackedUrl);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
});
