/** POST /api/v1/jobs/import-url: imports a job page's JSON-LD, and refuses to be turned against our own network. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressRefusal, safeFetch } from '../../src/lib/safe-fetch.ts';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signedInAdmin, signedInUser } from '../helpers/auth.ts';

const posting = {
  '@context': 'https://schema.org',
  '@type': 'JobPosting',
  title: 'Warehouse Lead',
  description: '<p>Run the night shift.</p>',
  hiringOrganization: { '@type': 'Organization', name: 'Depot Fictional' },
  jobLocation: { '@type': 'Place', address: { addressLocality: 'Nagpur', addressCountry: 'IN' } },
  employmentType: 'FULL_TIME',
  identifier: { value: 'WL-7' },
};
const page = `<html><head><script type="application/ld+json">${JSON.stringify(posting)}</script></head><body>Job</body></html>`;

let server: Server;
let base: string;
let open: TestContext & { close(): Promise<void> }; // may fetch 127.0.0.1 (FETCH_ALLOWED_ADDRESSES)
let strict: TestContext & { close(): Promise<void> }; // default policy
let requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const redirect = (to: string) => res.writeHead(302, { location: to }).end();
    switch (req.url) {
      case '/job':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
        return;
      case '/job.json':
        res.writeHead(200, { 'content-type': 'application/ld+json' }).end(JSON.stringify(posting));
        return;
      case '/to-private':
        return redirect('http://10.0.0.1/admin');
      case '/to-metadata':
        return redirect('http://169.254.169.254/latest/meta-data/');
      case '/to-other-loopback':
        return redirect(`http://127.0.0.2:${(server.address() as AddressInfo).port}/job`);
      case '/to-job':
        return redirect('/job');
      case '/loop':
        return redirect('/loop');
      case '/big':
        res.writeHead(200, { 'content-type': 'text/html' }).end('x'.repeat(3 * 1024 * 1024));
        return;
      case '/slow':
        setTimeout(() => res.writeHead(200).end(page), 2000);
        return;
      default:
        res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  open = await createTestApp({ env: { FETCH_ALLOWED_ADDRESSES: '127.0.0.1' } });
  strict = await createTestApp();
});
afterAll(async () => {
  await open?.close();
  await strict?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

async function importUrl(ctx: TestContext, url: string) {
  const admin = await signedInAdmin(ctx.database.db);
  return ctx.app.inject({ method: 'POST', url: '/api/v1/jobs/import-url', headers: admin.headers, payload: { url } });
}

describe('importing a job page', () => {
  it('imports the JobPosting of an HTML page, named after its host', async () => {
    const res = await importUrl(open, `${base}/job`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ inserted: 1, rejected: 0 });
    const [job] = await open.database.superuserQuery<Record<string, unknown>>(
      "select title, company, location, source, source_url from jobs where external_id = 'WL-7'",
    );
    expect(job).toEqual({
      title: 'Warehouse Lead',
      company: 'Depot Fictional',
      location: 'Nagpur, IN',
      source: '127.0.0.1',
      source_url: `${base}/job`,
    });
  });

  it('imports a JSON-LD document and follows a safe redirect', async () => {
    expect((await importUrl(open, `${base}/job.json`)).json()).toMatchObject({ rows: 1, rejected: 0 });
    expect((await importUrl(open, `${base}/to-job`)).json()).toMatchObject({ rows: 1, rejected: 0 });
  });

  it('is for administrators only: an ordinary user gets 403 and the page is never fetched', async () => {
    requests = [];
    const user = await signedInUser(open.database.db);
    const res = await open.app.inject({
      method: 'POST',
      url: '/api/v1/jobs/import-url',
      headers: user.headers,
      payload: { url: `${base}/job` },
    });
    expect(res.statusCode).toBe(403);
    expect(requests).toEqual([]);
    const anonymous = await open.app.inject({
      method: 'POST',
      url: '/api/v1/jobs/import-url',
      payload: { url: `${base}/job` },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('reports pages that fail: 404, too large, too many redirects', async () => {
    for (const path of ['/missing', '/big', '/loop']) {
      const res = await importUrl(open, `${base}${path}`);
      expect(res.statusCode, path).toBe(422);
      expect(res.json().error.code).toBe('FETCH_FAILED');
    }
  });
});

describe('SSRF refusals', () => {
  it.each([
    ['loopback by default', () => `${base}/job`],
    ['a host name that resolves to loopback', () => `${base.replace('127.0.0.1', 'localhost')}/job`],
    ['IPv6 loopback', () => `http://[::1]:${new URL(base).port}/job`],
    ['IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${new URL(base).port}/job`],
    ['loopback written in hex', () => `http://0x7f000001:${new URL(base).port}/job`],
    ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['a private network address', () => 'http://10.1.2.3/'],
    ['carrier-grade NAT', () => 'http://100.64.0.1/'],
    ['a file URL', () => 'file:///etc/passwd'],
    ['an FTP URL', () => 'ftp://example.test/job'],
    ['credentials in the URL', () => 'http://user:secret@example.test/'],
    ['a low non-web port', () => 'http://example.test:22/'],
    ['not a URL', () => 'not a url'],
  ])('refuses %s with 400 URL_NOT_ALLOWED', async (_name, url) => {
    requests = [];
    const res = await importUrl(strict, url());
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('URL_NOT_ALLOWED');
    expect(requests).toEqual([]); // nothing reached the server
  });

  it.each(['/to-private', '/to-metadata', '/to-other-loopback'])(
    'refuses a redirect to a private address (%s)',
    async (path) => {
      const res = await importUrl(open, `${base}${path}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('URL_NOT_ALLOWED');
    },
  );

  it('gives up on a slow page', async () => {
    await expect(safeFetch(`${base}/slow`, { allow: ['127.0.0.1'], timeoutMs: 200 })).rejects.toMatchObject({
      code: 'FETCH_FAILED',
    });
  });

  it('classifies addresses', () => {
    for (const blocked of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:10.0.0.1',
      '224.0.0.1',
    ]) {
      expect(addressRefusal(blocked), blocked).not.toBeNull();
    }
    for (const allowed of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '172.32.0.1']) {
      expect(addressRefusal(allowed), allowed).toBeNull();
    }
  });

  // Every IPv6 spelling that carries an IPv4 address is checked by that address (issue 11, item 17).
  it.each([
    ['IPv4-compatible, dotted', '::127.0.0.1'],
    ['IPv4-compatible, hex', '::7f00:1'],
    ['IPv4-compatible, private', '::10.1.2.3'],
    ['IPv4-mapped, dotted', '::ffff:127.0.0.1'],
    ['IPv4-mapped, hex', '::ffff:7f00:1'],
    ['IPv4-mapped, hex, metadata', '::ffff:a9fe:a9fe'],
    ['IPv4-mapped, fully written', '0:0:0:0:0:ffff:7f00:0001'],
    ['IPv4-mapped, upper case', '::FFFF:C0A8:0101'],
    ['IPv4-translated', '::ffff:0:127.0.0.1'],
    ['IPv4-translated, hex', '::ffff:0:a00:1'],
    ['6to4 of loopback', '2002:7f00:1::'],
    ['6to4 of a private address', '2002:c0a8:101::1'],
    ['6to4 of the metadata address', '2002:a9fe:a9fe::'],
    ['NAT64 of loopback', '64:ff9b::127.0.0.1'],
    ['NAT64 of a private address, hex', '64:ff9b::a00:1'],
    ['local-use NAT64', '64:ff9b:1::808:808'],
    ['Teredo, private server', '2001:0:a00:1::1'],
    ['Teredo, client obfuscating 127.0.0.1', '2001:0:4136:e378:8000:63bf:80ff:fffe'],
    ['site-local', 'fec0::1'],
  ])('refuses %s (%s)', (_form, address) => {
    expect(addressRefusal(address)).not.toBeNull();
  });

  it.each([
    ['IPv4-mapped public address', '::ffff:8.8.8.8'],
    ['6to4 of a public address', '2002:808:808::1'],
    ['NAT64 of a public address', '64:ff9b::808:808'],
    ['Teredo with public server and client', '2001:0:4136:e378:8000:63bf:f7f7:f7f7'],
  ])('allows %s (%s)', (_form, address) => {
    expect(addressRefusal(address)).toBeNull();
  });
});
