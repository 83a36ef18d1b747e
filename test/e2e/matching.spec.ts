/** Fit score, Jobs for me, cover letters, plans / billing / usage, CV corrections and data export in Chromium. */
import { expect, test } from '@playwright/test';
import { expectAccessible, screenshots, signIn } from './helpers.ts';

test.describe.configure({ mode: 'serial' });

test('jobs for me -> fit score and gap -> cover letter: write, edit, list, attach, delete', async ({ page }) => {
  await signIn(page);
  await page.getByRole('link', { name: 'Jobs for me' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Jobs for me' })).toBeVisible();
  // Preferences feed the score: saved, and shown again when the form reopens.
  await page.getByRole('button', { name: 'Your preferences' }).click();
  await page.getByLabel('Remote work').selectOption('preferred');
  await page.getByRole('checkbox', { name: 'Senior' }).check();
  await page.getByRole('button', { name: 'Save the preferences' }).click();
  await page.getByRole('button', { name: 'Your preferences' }).click();
  await expect(page.getByLabel('Remote work')).toHaveValue('preferred');
  await expect(page.getByRole('checkbox', { name: 'Senior' })).toBeChecked();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.reload();
  const ranked = page.getByRole('list', { name: 'Jobs ranked by fit' });
  await expect(ranked.locator('.score').first()).toBeVisible();
  // Ranked: the scores never go up down the list.
  const scores = (await ranked.locator('.score strong').allTextContents()).map(Number);
  expect(scores.length).toBeGreaterThan(0);
  expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  await expectAccessible(page);
  await screenshots(page, 'matches');

  // The best-ranked job the demo seeker has not applied to yet (the seed and other journeys apply to some).
  const links = await ranked.locator('h3 a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  let index = -1;
  for (const [i, href] of links.entries()) {
    await page.goto(href);
    await expect(page.getByRole('heading', { name: 'How well you fit' })).toBeVisible();
    if ((await page.getByRole('button', { name: 'Apply' }).count()) > 0) {
      index = i;
      break;
    }
  }
  expect(index).toBeGreaterThanOrEqual(0);
  const fit = page.getByRole('region', { name: 'How well you fit' });
  await expect(fit.getByText('Fit score')).toBeVisible();
  await expect(fit.locator('.score strong')).toHaveText(String(scores[index]));
  await expect(fit.getByRole('heading', { name: 'How the score adds up' })).toBeVisible();
  await expect(fit.locator('.parts li').first()).toBeVisible();

  // A cover letter from the job page; the grounded text can be edited.
  const letter = page.getByRole('region', { name: 'Cover letter' });
  await letter.getByLabel('Tone').selectOption('friendly');
  await letter.getByLabel('Length').selectOption('short');
  await letter.getByRole('button', { name: 'Write a cover letter' }).click();
  const body = letter.getByLabel(/^Letter/);
  await expect(body).not.toHaveValue('');
  await body.fill(`${await body.inputValue()}\n\nP.S. Edited in the browser.`);
  await letter.getByRole('button', { name: 'Save the letter' }).click();
  await expect(letter.getByText('Saved.')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'job-fit');

  // The quota sentence with its upgrade link (the answer is the API's 429 body).
  await page.route('**/api/v1/cover-letters', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({
          status: 429,
          contentType: 'application/json',
          body: JSON.stringify({
            error: {
              code: 'QUOTA_EXCEEDED',
              message: 'x',
              details: {
                action: 'cover_letter_generated',
                plan: 'Free',
                limit: 3,
                used: 3,
                resetsAt: '2030-01-01T00:00:00.000Z',
                upgradeTo: ['Premium', 'Enterprise'],
              },
            },
          }),
        })
      : route.continue(),
  );
  await letter.getByRole('button', { name: 'Write a cover letter' }).click();
  const alert = letter.getByRole('alert');
  await expect(alert).toContainText("You have used this month's allowance of generated cover letters (3)");
  await expect(alert.getByRole('link', { name: 'See the plans and upgrade' })).toBeVisible();
  await page.unroute('**/api/v1/cover-letters');

  // With a model configured the API answers 202 pending and the page polls the letter until it is ready
  // (the answers here are the API's, from a stand-in: this server has no model).
  const queued = {
    id: '00000000-0000-4000-8000-0000000000aa',
    jobId: null,
    cvId: null,
    applicationId: null,
    tone: 'professional',
    length: 'medium',
    generator: 'llm',
    status: 'pending',
    error: null,
    body: '',
    facts: {},
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  };
  let polls = 0;
  await page.route('**/api/v1/cover-letters', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({ status: 202, contentType: 'application/json', body: JSON.stringify(queued) })
      : route.continue(),
  );
  await page.route(`**/api/v1/cover-letters/${queued.id}`, (route) => {
    polls++;
    const now = polls < 3 ? queued : { ...queued, status: 'ready', body: 'Written by the model from your CV.' };
    return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(now) });
  });
  await letter.getByRole('button', { name: 'Write a cover letter' }).click();
  await expect(letter.getByText('The language model is writing your letter…')).toBeVisible();
  await expect(letter.getByLabel(/^Letter/)).toHaveValue('Written by the model from your CV.');
  await page.unroute('**/api/v1/cover-letters');
  await page.unroute(`**/api/v1/cover-letters/${queued.id}`);

  // A letter whose task failed on every retry: the sweep finishes it with the built-in writer; the page
  // stops polling and says why the model did not write it.
  const abandoned = { ...queued, id: '00000000-0000-4000-8000-0000000000ab' };
  let abandonedPolls = 0;
  await page.route('**/api/v1/cover-letters', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({ status: 202, contentType: 'application/json', body: JSON.stringify(abandoned) })
      : route.continue(),
  );
  await page.route(`**/api/v1/cover-letters/${abandoned.id}`, (route) => {
    abandonedPolls++;
    const finished = {
      ...abandoned,
      status: 'ready',
      generator: 'template',
      body: 'Written by the built-in writer.',
      facts: { fallbackReason: 'the writing task failed on every retry' },
    };
    const now = abandonedPolls < 2 ? abandoned : finished;
    return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(now) });
  });
  await letter.getByRole('button', { name: 'Write a cover letter' }).click();
  await expect(letter.getByLabel(/^Letter/)).toHaveValue('Written by the built-in writer.');
  await expect(letter.getByRole('note')).toContainText('the writing task failed on every retry');
  const pollsWhenDone = abandonedPolls;
  await page.waitForTimeout(2000); // more than one polling interval (1.5 s)
  expect(abandonedPolls).toBe(pollsWhenDone);
  await page.unroute('**/api/v1/cover-letters');
  await page.unroute(`**/api/v1/cover-letters/${abandoned.id}`);

  // Apply with the generated letter: it is attached to the new application.
  await page.getByRole('button', { name: 'Apply' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Use a letter you generated').selectOption({ index: 1 });
  await expect(dialog.getByLabel('Cover letter (optional)')).toHaveValue(/Edited in the browser/);
  await dialog.getByRole('button', { name: 'Send application' }).click();
  await expect(page.getByText('You applied to this job.')).toBeVisible();

  await page.goto('/cover-letters');
  await expect(page.getByRole('heading', { level: 1, name: 'Your cover letters' })).toBeVisible();
  const item = page.locator('.letters > li').first();
  await expect(item).toContainText('Edited in the browser');
  await expect(item.getByRole('link', { name: 'an application' })).toBeVisible();
  await expectAccessible(page);
  page.once('dialog', (d) => void d.accept());
  await item.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('Edited in the browser')).toHaveCount(0);
});

test('jobs for me: the search filters (remote, salary with currency, level, type, posted) narrow the ranking', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/matches');
  const ranked = page.getByRole('list', { name: 'Jobs ranked by fit' });
  await expect(ranked.locator('.score').first()).toBeVisible();
  await page.getByText('Filter the jobs').click();
  const form = page.getByRole('form', { name: 'Filter the jobs' });
  await form.getByLabel('Remote', { exact: true }).selectOption('true');
  await form.getByLabel('Posted').selectOption('30');
  await form.getByLabel('Currency').selectOption('INR');
  await form.getByLabel('Minimum salary (a year)').fill('1');
  await form.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/remote=true/);
  await expect(page).toHaveURL(/currency=INR/);
  await expect(page).toHaveURL(/salaryMin=1\b/);
  // Every row left is remote (or there are none, said so).
  await expect(ranked.locator('li').first().or(page.getByText('No jobs match these filters'))).toBeVisible();
  for (const row of await ranked.locator('li').all())
    await expect(row.getByText('Remote', { exact: true })).toBeVisible();
  // The level and type boxes apply at once and survive a reload, with the other fields.
  // A click, not check(): the box is checked once the URL changed, a moment after the click.
  await form.getByRole('checkbox', { name: 'Full-time' }).click();
  await expect(page).toHaveURL(/jobType=full-time/);
  await expect(form.getByRole('checkbox', { name: 'Full-time' })).toBeChecked();
  await page.reload();
  await expect(form.getByLabel('Remote', { exact: true })).toHaveValue('true');
  await expect(form.getByRole('checkbox', { name: 'Full-time' })).toBeChecked();
  await expectAccessible(page);
  await form.getByRole('button', { name: 'Clear the filters' }).click();
  await expect(page).not.toHaveURL(/remote=/);
  await expect(ranked.locator('.score').first()).toBeVisible();
});

test('plans (public), billing and usage, checkout with only PhonePe configured', async ({ page }) => {
  await page.goto('/plans');
  await expect(page.getByRole('heading', { level: 2, name: /^Premium/ })).toBeVisible();
  await expect(page.getByText('Unlimited generated cover letters').first()).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'plans');
  // The monthly/yearly toggle shows the other interval's prices.
  await page.getByRole('button', { name: /^Yearly/ }).click();
  await expect(page.getByRole('button', { name: /^Yearly/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByText(/\$99\.90 a year/)).toBeVisible();
  await page.getByRole('button', { name: 'Monthly' }).click();

  await signIn(page);
  await page.goto('/billing');
  await expect(page.getByRole('heading', { name: 'Your plan: Free' })).toBeVisible();
  const usage = page.getByRole('region', { name: /This month on the Free plan/ });
  await expect(usage.getByRole('meter', { name: 'fit scores used' })).toBeVisible();
  await expect(usage.getByText(/of 3$/).first()).toBeVisible();
  await expect(page.getByText('No payments yet.')).toBeVisible();
  await page.goto('/billing?checkout=cancelled');
  await expect(page.getByText('The payment was cancelled; nothing was charged.')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'billing');

  // The e2e server configures PhonePe but not Stripe: INR through PhonePe (once or by UPI AutoPay), no card.
  // (The UPI AutoPay journey itself: autopay.spec.ts.)
  await page.goto('/plans');
  const premium = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /^Premium/ }) });
  await expect(
    premium.getByRole('button', { name: 'Upgrade to Premium: Pay with PhonePe (INR, one month)' }),
  ).toBeVisible();
  await expect(
    premium.getByRole('button', { name: 'Upgrade to Premium: Pay every month automatically (UPI AutoPay)' }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: /Pay by card/ })).toHaveCount(0);
  await page.getByRole('button', { name: /^Yearly/ }).click();
  await expect(
    premium.getByRole('button', { name: 'Upgrade to Premium: Pay every year automatically (UPI AutoPay)' }),
  ).toBeVisible();
});

test('CV profile: correct fields (the headline too), the work history and the education, then reset them; ask for a copy of my data', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/cvs');
  await page.locator('main a[href^="/cvs/"]').first().click();
  const corrections = page.getByRole('region', { name: 'Your corrections' });
  await corrections.getByRole('button', { name: 'Correct the profile' }).click();
  await corrections.getByLabel('Location').fill('Pune, India');
  await corrections.getByLabel('Headline').fill('Principal Kite Engineer');
  await corrections.getByLabel('Skills (comma-separated)').fill('TypeScript, PostgreSQL, Kubernetes');
  await corrections.getByRole('button', { name: 'Save the corrections' }).click();
  await expect(page.getByText('Pune, India')).toBeVisible();
  await expect(page.getByText('Principal Kite Engineer')).toBeVisible();
  await expect(corrections.getByRole('button', { name: 'Reset location' })).toBeVisible();
  await expectAccessible(page);
  await corrections.getByRole('button', { name: 'Reset location' }).click();
  await expect(corrections.getByRole('button', { name: 'Reset location' })).toHaveCount(0);
  await expect(page.getByText('Pune, India')).toHaveCount(0);
  await corrections.getByRole('button', { name: 'Reset skills' }).click();
  await expect(corrections.getByRole('button', { name: 'Reset skills' })).toHaveCount(0);
  await corrections.getByRole('button', { name: 'Reset headline' }).click();
  await expect(page.getByText('Principal Kite Engineer')).toHaveCount(0);

  // A missed job added to the work history, then the correction dropped.
  await corrections.getByRole('button', { name: 'Correct the work history' }).click();
  await corrections.getByRole('button', { name: 'Add a job' }).click();
  const added = corrections.locator('fieldset').last();
  await added.getByLabel('Title').fill('Staff Engineer');
  await added.getByLabel('Company').fill('Acme Robotics');
  await added.getByLabel('From').fill('2015');
  await added.getByLabel('To').fill('2016');
  await corrections.getByRole('button', { name: 'Save the experience' }).click();
  await expect(page.getByText('Staff Engineer at Acme Robotics')).toBeVisible();
  await corrections.getByRole('button', { name: 'Reset experience' }).click();
  await expect(page.getByText('Staff Engineer at Acme Robotics')).toHaveCount(0);

  // A degree with its field of study and grade, shown on the profile, then the correction dropped.
  await corrections.getByRole('button', { name: 'Correct the education' }).click();
  await corrections.getByRole('button', { name: 'Add a degree' }).click();
  const degree = corrections.locator('fieldset').last();
  await degree.getByLabel('Degree').fill('M.Sc');
  await degree.getByLabel('Field of study').fill('Applied Physics');
  await degree.getByLabel('Institution').fill('Kestrel University');
  await degree.getByLabel('Grade').fill('8.4 CGPA');
  await corrections.getByRole('button', { name: 'Save the education' }).click();
  await expect(page.getByText('M.Sc (Applied Physics), Kestrel University, 8.4 CGPA')).toBeVisible();
  await corrections.getByRole('button', { name: 'Reset education' }).click();
  await expect(page.getByText('M.Sc (Applied Physics), Kestrel University, 8.4 CGPA')).toHaveCount(0);

  await page.goto('/account');
  const data = page.getByRole('region', { name: 'Your data' });
  await data.getByRole('button', { name: 'Ask for a copy of my data' }).click();
  // Downloading and opening it: account.spec.ts.
  await expect(data.getByText(/being prepared|ready/).first()).toBeVisible();
  await expectAccessible(page);
});
