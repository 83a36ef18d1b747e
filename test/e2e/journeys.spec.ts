/** The main journeys in a real Chromium against the real server (demo data seeded at start-up). */
import { request as apiRequest, expect, type Page, test } from '@playwright/test';
import { ADMIN, DEMO, expectAccessible, screenshots, signIn, tabTo } from './helpers.ts';

test.describe.configure({ mode: 'serial' });

let applicationUrl = '';

test('search -> job detail -> sign in -> apply -> the application is in the tracker', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Find a job' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /\d+ jobs/ })).toBeVisible();
  const first = page.locator('.job-row h3 a').first();
  await expect(first).toBeVisible();

  // Filters and facets: a job type narrows the list and is kept in the URL.
  // (click, not check(): the box is controlled by the URL, which updates a moment after the click)
  const contract = page.getByRole('checkbox', { name: /Contract/ });
  await contract.click();
  await expect(page).toHaveURL(/jobType=contract/);
  await expect(contract).toBeChecked();
  await expect(page.getByRole('heading', { name: /\d+ jobs/ })).toBeVisible();
  await contract.click();
  await expect(contract).not.toBeChecked();

  // A search with no match explains what to change.
  await page.getByLabel('Keywords').fill('zzzzqqqq nothing matches this');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByText('No jobs match this search.')).toBeVisible();
  await expect(page.getByText(/use fewer or more general keywords/)).toBeVisible();

  await page.goto('/');
  const title = (await first.textContent()) ?? '';
  await first.click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();

  await page.getByLabel('E-mail or phone number').fill(DEMO.email);
  await page.getByLabel('Password').fill(DEMO.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Back on the job (returnTo), signed in.
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();

  await page.getByRole('button', { name: 'Bookmark ☆' }).click();
  await expect(page.getByRole('button', { name: 'Bookmarked ★' })).toBeVisible();

  await page.getByRole('button', { name: 'Apply' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel('CV')).toBeVisible();
  await dialog.getByLabel('Cover letter (optional)').fill('Hello, I am a great fit.');
  await dialog.getByRole('button', { name: 'Send application' }).click();
  await expect(page.getByText('You applied to this job.')).toBeVisible();

  await page.getByRole('link', { name: 'See your applications' }).click();
  await expect(page.getByRole('heading', { name: 'Your applications' })).toBeVisible();
  const card = page.locator('.app-card', { hasText: title }).first();
  await expect(card).toBeVisible();
  await card.getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'Timeline' })).toBeVisible();
  applicationUrl = page.url();

  // A next step with a date offers a calendar file.
  await page.getByLabel('What happens next').fill('Phone screen');
  await page.getByLabel('When', { exact: true }).fill('2030-01-15T10:30');
  await page.getByRole('button', { name: 'Save the next step' }).click();
  await expect(page.getByRole('link', { name: 'Add it to your calendar (.ics)' })).toBeVisible();

  // Withdraw from the detail page: the status changes and the timeline grows.
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Withdraw the application' }).click();
  await expect(page.locator('.status')).toHaveText('Withdrawn');

  await page.goto('/bookmarks');
  await expect(page.getByRole('link', { name: title }).first()).toBeVisible();
});

test('register, a wrong password gets a human sentence, another user sees "not found", admin pages refused', async ({
  page,
}) => {
  await page.goto('/register');
  const email = `e2e-${Date.now()}@example.com`;
  await page.getByLabel('Your name').fill('E2E Person');
  await page.getByLabel('E-mail address').fill(email);
  await page.locator('#new-password').fill('password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('alert')).toContainText('Choose a stronger password');
  await page.locator('#new-password').fill('a-long-unusual-passphrase-42');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

  // Someone else's application: the same "not found" as a missing one.
  expect(applicationUrl).not.toBe('');
  await page.goto(applicationUrl);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  // The administrators' pages say so to a seeker, and show none of their data.
  for (const path of ['/admin', '/admin/applications']) {
    await page.goto(path);
    await expect(page.getByText('This page is for administrators.')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Publish a job' })).toHaveCount(0);
  }

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await page.goto('/sign-in');
  await page.getByLabel('E-mail or phone number').fill(email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong e-mail, phone or password');
  await expect(page.getByRole('alert')).toContainText('locked for a few minutes');
  await expect(page.getByText('{')).toHaveCount(0);
});

/** The newest link of that kind sent to `to`, read from the development outbox (administrators only). */
async function linkFromOutbox(baseURL: string, to: string, page: 'verify-email' | 'reset-password') {
  // A fresh context without cookies (so no CSRF check), authenticated by a bearer token.
  const request = await apiRequest.newContext({ baseURL });
  const login = await request.post('/api/v1/auth/login', {
    data: { identifier: ADMIN.email, password: ADMIN.password },
  });
  expect(login.status(), await login.text()).toBe(200);
  const { token } = (await login.json()) as { token: string };
  for (let i = 0; i < 40; i++) {
    const res = await request.get('/api/v1/dev/outbox?limit=100', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status(), await res.text()).toBe(200);
    const { data } = (await res.json()) as { data: Array<{ recipient: string; body: string }> };
    const link = data
      .filter((m) => m.recipient === to)
      .map((m) => m.body.match(new RegExp(`https?://\\S+/account/${page}#token=\\S+`))?.[0])
      .find(Boolean);
    if (link) {
      await request.dispose();
      return link;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no ${page} message for ${to}`);
}

test('the links in e-mails: confirm the address, reset the password', async ({ page, baseURL }) => {
  const base = baseURL ?? '';
  const email = `links-${Date.now()}@example.com`;
  await page.goto('/register');
  await page.getByLabel('Your name').fill('Link Person');
  await page.getByLabel('E-mail address').fill(email);
  await page.locator('#new-password').fill('first-unusual-passphrase-7');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

  await page.goto(await linkFromOutbox(base, email, 'verify-email'));
  await expect(page.getByText('your e-mail address is confirmed')).toBeVisible();
  // The token leaves the address bar once used.
  expect(page.url()).not.toContain('token=');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto('/forgot-password');
  await page.getByLabel('E-mail or phone number').fill(email);
  await page.getByRole('button', { name: 'Send reset instructions' }).click();
  await expect(page.getByText('a reset link (e-mail) or a 6-digit code (SMS) is on its way')).toBeVisible();
  await page.goto(await linkFromOutbox(base, email, 'reset-password'));
  await page.getByLabel('New password').fill('second-unusual-passphrase-8');
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.getByText('Your password is changed')).toBeVisible();
  await signIn(page, email, 'second-unusual-passphrase-8');
});

test('upload a CV, see the extracted profile; refusals are explained; save a search', async ({ page }) => {
  await signIn(page);
  await page.goto('/?q=engineer');
  await page.getByRole('button', { name: 'Save this search and get alerts' }).click();
  await page.getByLabel('Name').fill('Engineering jobs');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.goto('/saved-searches');
  await page.getByRole('link', { name: 'Engineering jobs' }).click();
  await expect(page).toHaveURL(/q=engineer/);

  await page.goto('/cvs');
  const cv = [
    'Ravi Kumar',
    'ravi@example.com | +91 91234 56789 | Pune, India',
    '',
    'Skills',
    'Go, Kubernetes, PostgreSQL, Terraform',
    '',
    'Experience',
    'Site Reliability Engineer, Example Cloud — Mar 2019 to Present',
    'Ran the Kubernetes platform for forty teams.',
  ].join('\n');
  await page
    .locator('#cv-file')
    .setInputFiles({ name: 'ravi-cv.txt', mimeType: 'text/plain', buffer: Buffer.from(cv) });
  await expect(page.getByText('ravi-cv.txt is uploaded and read.')).toBeVisible();
  await page.getByRole('link', { name: 'ravi-cv.txt', exact: true }).click();
  await expect(page.getByRole('heading', { name: /Skills/ })).toBeVisible();
  await expect(page.getByText('Kubernetes').first()).toBeVisible();

  await page.goto('/cvs');
  // 415: bytes that are not a CV.
  await page.locator('#cv-file').setInputFiles({
    name: 'photo.png',
    mimeType: 'image/png',
    buffer: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
  });
  await expect(page.getByRole('alert')).toContainText(/not accepted|not what its name says/);
  // 413: too big (refused before sending; the server refuses it the same way).
  await page
    .locator('#cv-file')
    .setInputFiles({ name: 'big.txt', mimeType: 'text/plain', buffer: Buffer.alloc(6 * 1024 * 1024, 'a') });
  await expect(page.getByRole('alert')).toContainText('too big');

  // Drag and drop: a file dropped on the zone is uploaded the same way.
  await page.evaluate(`(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['Meera Iyer\\nmeera@example.com\\n\\nSkills\\nJava, Spring, Kafka, PostgreSQL'], 'dropped-cv.txt', { type: 'text/plain' }));
    document.querySelector('.dropzone').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  })()`);
  await expect(page.getByText('dropped-cv.txt is uploaded and read.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'dropped-cv.txt', exact: true })).toBeVisible();

  // Delete the new CV (no applications were made with it: no confirmation needed).
  await page.getByRole('button', { name: 'Delete ravi-cv.txt' }).click();
  await expect(page.getByRole('link', { name: 'ravi-cv.txt', exact: true })).toHaveCount(0);
});

test('keyboard only: sign in, open a job, apply', async ({ page }) => {
  await page.goto('/sign-in');
  await tabTo(page, page.getByLabel('E-mail or phone number'));
  await page.keyboard.type(DEMO.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(DEMO.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

  await page.goto('/?sort=newest');
  const second = page.locator('.job-row h3 a').nth(1);
  await expect(second).toBeVisible();
  const title = (await second.textContent()) ?? '';
  await tabTo(page, second, 80);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await tabTo(page, page.getByRole('button', { name: 'Apply' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toBeVisible();
  await tabTo(page, page.getByRole('button', { name: 'Send application' }));
  await page.keyboard.press('Enter');
  await expect(page.getByText('You applied to this job.')).toBeVisible();
});

test('deleting a CV used for an application asks first, then deletes both', async ({ page }) => {
  // The keyboard journey applied with the newest CV, dropped-cv.txt.
  await signIn(page);
  await page.goto('/cvs');
  await page.getByRole('button', { name: 'Delete dropped-cv.txt' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('You applied to 1 job with this CV');
  await dialog.getByRole('button', { name: 'Keep it' }).click();
  await expect(page.getByRole('link', { name: 'dropped-cv.txt', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Delete dropped-cv.txt' }).click();
  await dialog.getByRole('button', { name: 'Delete the CV and its applications' }).click();
  await expect(page.getByRole('link', { name: 'dropped-cv.txt', exact: true })).toHaveCount(0);
});

test('administrator: publish with validation messages, import a file with its report, move an application', async ({
  page,
}) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole('link', { name: 'Admin' }).click();
  const form = page.getByRole('region', { name: 'Publish a job' });
  await form.getByLabel('Title').fill('E2E Platform Engineer');
  await form.getByLabel('Company').fill('Jobr Testing');
  await form.getByLabel('Salary from').fill('900000');
  await form.getByLabel('Salary to').fill('100');
  await form.getByLabel('Description').fill('Keep the platform running.');
  await form.getByRole('button', { name: 'Publish' }).click();
  await expect(form.getByRole('alert')).toContainText('Some fields are not filled in correctly');
  await form.getByLabel('Salary to').fill('1500000');
  await form.getByLabel('Currency').selectOption('INR');
  await form.getByRole('button', { name: 'Publish' }).click();
  await expect(form.getByText('Published.')).toBeVisible();
  await form.getByRole('link', { name: 'See it' }).click();
  await expect(page.getByText('₹9–15 lakh per annum')).toBeVisible();

  await page.goto('/admin');
  const csv =
    'title,company,location,salary,description\nCSV Analyst,Acme,Pune,₹12-18 LPA,Analyse things.\n,Missing Title Inc,Delhi,,No title.\n' +
    'Markup Curator,Acme,Pune,,"<p>Curate <strong>markup</strong>.</p><ul><li>Tables</li></ul><img src=x onerror=alert(1)><a href=""javascript:alert(1)"">bad link</a>"\n';
  await page
    .getByLabel('CSV, JSON, NDJSON or JSON-LD file')
    .setInputFiles({ name: 'jobs.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByText(/3 rows: 2 new, 0 updated, 0 unchanged, 1 rejected/)).toBeVisible();
  await expect(page.getByText(/Line 3:/)).toBeVisible();
  // The full report (every warning and rejection) downloads as CSV for the administrator.
  const reportHref = await page.getByRole('link', { name: 'Download the full report (CSV)' }).getAttribute('href');
  const report = await page.request.get(reportHref ?? '');
  expect(report.status()).toBe(200);
  expect(await report.text()).toMatch(/^line,kind,field,value,reason\n(?:.*\n)*3,rejected,/);

  // The imported HTML description shows its safe subset, rebuilt element by element.
  await page.goto('/?q=markup+curator');
  await page.getByRole('link', { name: 'Markup Curator' }).click();
  const description = page.locator('.description-html');
  await expect(description.locator('strong', { hasText: 'markup' })).toBeVisible();
  await expect(description.locator('li', { hasText: 'Tables' })).toBeVisible();
  await expect(description.locator('img, a, script')).toHaveCount(0);
  await expect(description).toContainText('bad link');

  // "Did you mean": a misspelt search offers the catalogue's word as a link.
  await page.goto('/?q=markup+curatr');
  await expect(page.getByText('No jobs match this search.')).toBeVisible();
  await page.getByRole('link', { name: 'markup curator' }).click();
  await expect(page.getByRole('link', { name: 'Markup Curator' })).toBeVisible();

  await page.goto('/admin');

  // A larger file: the page reads the streamed import's progress lines, then shows the report.
  const many = Array.from({ length: 450 }, (_, i) =>
    i === 300 ? ',No Title Ltd,Pune,,Nothing.' : `Stream Tester ${i},Flow Inc,Pune,,Tests streams.`,
  );
  // Every text the progress line shows, recorded as it changes (the import is over in a moment).
  await page.evaluate(`(() => {
    const seen = (window.importProgress = []);
    new MutationObserver(() => {
      const text = document.querySelector('.import-progress')?.textContent;
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  await page.getByLabel('CSV, JSON, NDJSON or JSON-LD file').setInputFiles({
    name: 'many.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`title,company,location,salary,description\n${many.join('\n')}\n`),
  });
  await expect(page.getByText(/450 rows: 449 new, 0 updated, 0 unchanged, 1 rejected/)).toBeVisible();
  await expect(page.getByText(/Line 302:/)).toBeVisible();
  const seen = await page.evaluate<string[]>('window.importProgress');
  expect(
    seen.some((t) => /Importing… \d+ rows read: \d+ imported, [01] rejected\./.test(t)),
    seen.join(' | '),
  ).toBe(true);

  await page.getByRole('link', { name: 'All applications' }).click();
  await page.getByLabel('Status', { exact: true }).selectOption('submitted');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/status=submitted/);
  const row = page.locator('.list > li').first();
  await row.getByRole('button', { name: 'Change status' }).click();
  await row.getByLabel('New status').selectOption('reviewing');
  await row.getByLabel('Note to the applicant (optional)').fill('We are reading your CV.');
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('.list > li').first())
    .not.toContainText('Change status', { timeout: 1 })
    .catch(() => undefined);
  await page.getByLabel('Status', { exact: true }).selectOption('reviewing');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.locator('.list > li').first()).toContainText('Reviewing');
  await expectAccessible(page);
});

/** Collects the Content Security Policy violations the browser reports on `page`. */
function cspViolations(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  return errors;
}

// The main pages are checked in three tests, not one: each page costs an axe run and two full-page
// screenshots, and on a loaded 2-core CI machine all of them together outran one test's time-out.
test('anonymous pages: no serious accessibility violations, no CSP violations', async ({ page }) => {
  const cspErrors = cspViolations(page);
  for (const path of ['/', '/sign-in', '/register', '/forgot-password', '/account/reset-password', '/nothing-here']) {
    await page.goto(path);
    await expect(page.locator('h1')).toBeVisible();
    await expectAccessible(page);
  }
  expect(cspErrors).toEqual([]);
});

test('search and job pages: accessible, no CSP violations, screenshots at 390 px and 1280 px', async ({ page }) => {
  const cspErrors = cspViolations(page);
  await page.goto('/');
  await expect(page.locator('.job-row').first()).toBeVisible();
  await screenshots(page, 'search');
  await page.locator('.job-row h3 a').first().click();
  await expect(page.getByRole('heading', { name: 'Description' })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'job');
  expect(cspErrors).toEqual([]);
});

test('signed-in pages: accessible, no CSP violations, screenshots at 390 px and 1280 px', async ({ page }) => {
  // Eight pages, each with an axe run and two full-page screenshots.
  test.slow();
  const cspErrors = cspViolations(page);
  await signIn(page);
  for (const [path, name] of [
    ['/applications', 'applications'],
    ['/cvs', 'cvs'],
    ['/bookmarks', 'bookmarks'],
    ['/account', 'account'],
    ['/notifications', 'notifications'],
    ['/account/notifications', 'notification-settings'],
    ['/applications?view=follow-up', 'follow-ups'],
    ['/saved-searches', 'saved-searches'],
  ] as const) {
    await page.goto(path);
    await expect(page.locator('h1')).toBeVisible();
    await expect(page.getByText('Loading…')).toHaveCount(0);
    await expectAccessible(page);
    await screenshots(page, name);
  }
  expect(cspErrors).toEqual([]);
});
