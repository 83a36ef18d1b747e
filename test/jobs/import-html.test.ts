/** Imported HTML descriptions: sanitised to a safe subset, stored beside the plain text, served by GET /jobs/:id. */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/db/context.ts';
import { htmlToText, MAX_SAFE_HTML, sanitizeHtml } from '../../src/modules/jobs/import/html.ts';
import { importJobs } from '../../src/modules/jobs/import/import.service.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInAdmin } from '../helpers/auth.ts';

describe('sanitizeHtml', () => {
  it.each([
    ['<p>Hello <b>bold</b> <i>it</i></p>', '<p>Hello <strong>bold</strong> <em>it</em></p>'],
    ['<ul><li>One<li>Two</ul>', '<ul><li>One<li>Two</li></li></ul>'],
    ['<h2>Big</h2><h3>Role</h3>', 'Big<h3>Role</h3>'],
    ['<div class="x" onclick="evil()"><p style="color:red">Text</p></div>', '<p>Text</p>'],
    ['<p>a<script>alert(1)</script>b<style>p{}</style>c</p>', '<p>abc</p>'],
    ['<img src=x onerror=alert(1)>Hi', 'Hi'],
    ['<a href="javascript:alert(1)">click</a>', 'click'],
    ['<a href=" JaVaScRiPt:alert(1)">x</a>', 'x'],
    // A ">" inside an attribute ends the tag (one pass, no backtracking): the rest shows as text, inert.
    ['<a href="data:text/html,<b>">x</a>', '&quot;&gt;x'],
    [
      '<a href="https://example.com/a?b=1&amp;c=2" target="_blank">Apply</a>',
      '<a href="https://example.com/a?b=1&amp;c=2" rel="nofollow noopener">Apply</a>',
    ],
    [
      "<a href='mailto:jobs@example.com'>Mail</a>",
      '<a href="mailto:jobs@example.com" rel="nofollow noopener">Mail</a>',
    ],
    [
      '<a href="https://x.test/" onmouseover="evil()" rel="opener">x</a>',
      '<a href="https://x.test/" rel="nofollow noopener">x</a>',
    ],
    [
      '<a title="href=\'https://x.test\'" href="javascript:1">x</a>',
      'x', // href inside another attribute's value is not an href
    ],
    ['1 &lt; 2 &amp;&amp; <p>"quoted" 3 > 2', '1 &lt; 2 &amp;&amp; <p>&quot;quoted&quot; 3 &gt; 2</p>'],
    ['<p>unclosed <strong>bold', '<p>unclosed <strong>bold</strong></p>'],
    ['</p></strong>stray closers<br/>', 'stray closers<br>'],
    ['<p><!-- a comment -->kept</p>', '<p>kept</p>'],
    ['<svg><script>x</script></svg><iframe src="x">inner</iframe>ok', 'ok'],
    ['<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'],
  ])('%s', (input, expected) => {
    expect(sanitizeHtml(input)).toBe(expected);
  });

  it('is null when no text is left, and bounds its output', () => {
    expect(sanitizeHtml('<p><script>x</script></p>')).toBeNull();
    expect(sanitizeHtml('<br><br>')).toBeNull();
    const long = sanitizeHtml(`<p>${'word '.repeat(100_000)}</p>`) ?? '';
    expect(long.length).toBeLessThanOrEqual(MAX_SAFE_HTML + 10);
    expect(long.endsWith('</p>')).toBe(true);
    // Deep nesting is unwrapped past a fixed depth: every tag still closes.
    const deep = sanitizeHtml(`${'<ul><li>'.repeat(1000)}x`) ?? '';
    expect((deep.match(/<ul>/g) ?? []).length).toBe((deep.match(/<\/ul>/g) ?? []).length);
    expect((deep.match(/<ul>/g) ?? []).length).toBeLessThanOrEqual(16);
  });

  it('reads hostile input of 200,000 characters in linear time', () => {
    const n = 200_000;
    const inputs = [
      '<'.repeat(n),
      `<a${' href='.repeat(n / 6)}>`,
      `<a href="${'"'.repeat(n)}>`,
      `${'<p>'.repeat(n / 3)}`,
      `${'</p>'.repeat(n / 4)}`,
      `${'<b><i>'.repeat(n / 6)}`,
      `<script${' '.repeat(n)}`,
      `${'&#1'.repeat(n / 3)}`,
      `<!--${'-'.repeat(n)}`,
      `${'<a href="https://x.test/">'.repeat(n / 25)}`,
    ];
    // A quadratic reader takes minutes here: a regression shows as this test hitting its timeout.
    for (const input of inputs) sanitizeHtml(input);
    const sample = '<h3>Role</h3><p>a &amp; b</p><ul><li>one</li><li>two</li></ul>';
    expect(htmlToText(sanitizeHtml(sample) ?? '')).toBe(htmlToText(sample));
  });
});

let ctx: TestContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

describe('importing HTML descriptions', () => {
  it('stores the plain text for search and the sanitised HTML for pages; GET /jobs/:id serves both', async () => {
    const rows = [
      {
        id: 'h-1',
        title: 'Rust Engineer',
        company: 'Ferris',
        description:
          '<h2>About</h2><p>Build <strong>fast</strong> things.</p><ul><li>Rust</li><li>Tokio</li></ul><script>steal()</script><a href="https://ferris.test/apply" onclick="x()">Apply</a>',
      },
      { id: 'h-2', title: 'Plain Writer', company: 'Ferris', description: 'Just text, no markup.' },
    ];
    const report = await importJobs(
      ctx.database.db,
      systemActor,
      Readable.from([Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n'))]),
      { format: 'ndjson', source: 'htmltest' },
    );
    expect(report).toMatchObject({ inserted: 2, rejected: 0 });
    const stored = await ctx.database.superuserQuery<{
      external_id: string;
      description: string;
      description_html: string | null;
    }>("select external_id, description, description_html from jobs where source = 'htmltest' order by external_id");
    expect(stored[0]?.description).toBe(htmlToText(rows[0]?.description ?? ''));
    expect(stored[0]?.description).toMatch(/^About\n+Build fast things\.\n+- Rust\n+- Tokio\n+Apply$/);
    expect(stored[0]?.description_html).toBe(
      'About<p>Build <strong>fast</strong> things.</p><ul><li>Rust</li><li>Tokio</li></ul><a href="https://ferris.test/apply" rel="nofollow noopener">Apply</a>',
    );
    expect(stored[1]?.description_html).toBeNull();

    const [first] = await ctx.database.superuserQuery<{ id: string }>(
      "select id from jobs where source = 'htmltest' and external_id = 'h-1'",
    );
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/jobs/${first?.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      description: stored[0]?.description,
      descriptionHtml: stored[0]?.description_html,
    });
    expect(res.json()).not.toHaveProperty('contentKey');

    // Search reads the text: the markup's words are not indexed, the text's are.
    const hit = await ctx.app.inject({ method: 'GET', url: '/api/v1/jobs?q=tokio' });
    expect(hit.json().data.map((j: { title: string }) => j.title)).toContain('Rust Engineer');
    const tag = await ctx.app.inject({ method: 'GET', url: '/api/v1/jobs?q=onclick' });
    expect(tag.json().data).toEqual([]);
  });

  it('keeps sections composed from other CSV columns in the HTML too, and drops the HTML when the API edits the description', async () => {
    const csv =
      'title,company,description,qualifications,id\n"Nurse","Ward 9","<p>Care for <em>patients</em>.</p>","RN licence <required>",c-1\n';
    await importJobs(ctx.database.db, systemActor, Readable.from([Buffer.from(csv)]), {
      format: 'csv',
      source: 'htmlcsv',
    });
    const [row] = await ctx.database.superuserQuery<{ id: string; description_html: string }>(
      "select id, description_html from jobs where source = 'htmlcsv'",
    );
    expect(row?.description_html).toMatch(
      /^<p>Care for <em>patients<\/em>\.<\/p><p>[^<]*Qualifications[^<]*:<br>RN licence &lt;required&gt;<\/p>$/i,
    );

    const admin = await signedInAdmin(ctx.database.db);
    const patched = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/jobs/${row?.id}`,
      headers: admin.headers,
      payload: { description: 'Rewritten by hand.' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ description: 'Rewritten by hand.', descriptionHtml: null });
  });
});
