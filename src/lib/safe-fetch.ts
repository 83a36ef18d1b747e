/**
 * Fetching a URL a user gave us without letting them reach our own network (SSRF).
 *
 * - http and https only, no credentials in the URL, ports 80/443 or any port >= 1024;
 * - every address the host name resolves to is checked when the connection is made (the check and
 *   the connection use the same lookup, so DNS rebinding cannot slip a private address in between);
 *   loopback, private, link-local (cloud metadata), carrier-grade NAT, multicast and reserved
 *   ranges are refused, for IPv4 and IPv6, and for every IPv6 form that carries an IPv4 address
 *   (IPv4-compatible ::a.b.c.d, IPv4-mapped ::ffff:0:0/96 in any spelling, IPv4-translated, 6to4
 *   2002::/16, NAT64 64:ff9b::/96, Teredo 2001::/32): the embedded address is checked as IPv4;
 * - redirects are followed by hand, at most 3, each one checked again;
 * - the whole exchange has a time limit and the body a size limit.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';
import { AppError } from './errors.ts';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48], // local-use NAT64 (RFC 8215): translates into the operator's own network
  ['100::', 64],
  ['2001:10::', 28],
  ['2001:20::', 28],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

export type SafeFetchOptions = {
  /** Addresses or CIDR ranges allowed despite being private (an intranet job board; tests). */
  allow?: string[];
  maxBytes?: number;
  timeoutMs?: number;
  maxRedirects?: number;
  accept?: string;
};

export type FetchedPage = { url: string; status: number; contentType: string; body: Buffer };

function allowList(entries: string[] = []): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const family = isIP(address ?? '') === 6 ? 'ipv6' : 'ipv4';
    if (!address || isIP(address) === 0) continue;
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

/** The eight 16-bit groups of a valid IPv6 address (zone dropped, a dotted IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0] ?? '';
  const tailAt = text.lastIndexOf(':') + 1;
  const dotted = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text.slice(tailAt));
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, tailAt)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

const ipv4Of = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;

/**
 * The IPv4 addresses an IPv6 address carries and would reach: through the IPv4-compatible (::/96),
 * IPv4-mapped (::ffff:0:0/96), IPv4-translated (::ffff:0:0:0/96), NAT64 (64:ff9b::/96), 6to4
 * (2002::/16) or Teredo (2001::/32: the server, and the client XOR-obfuscated) forms. Checking only the
 * dotted ::ffff:a.b.c.d spelling missed ::ffff:7f00:1, ::127.0.0.1 and the tunnel forms.
 */
export function embeddedIpv4(address: string): string[] {
  const g = ipv6Groups(address);
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  // :: and ::1 are handled by the IPv6 list; every other ::/96 address is IPv4-compatible.
  if (zeroUpTo(6) && !(g6 === 0 && g7 <= 1)) return [ipv4Of(g6, g7)];
  if (zeroUpTo(5) && g5 === 0xffff) return [ipv4Of(g6, g7)];
  if (zeroUpTo(4) && g4 === 0xffff && g5 === 0) return [ipv4Of(g6, g7)];
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return [ipv4Of(g6, g7)];
  if (g0 === 0x2002) return [ipv4Of(g1, g2)];
  if (g0 === 0x2001 && g1 === 0) return [ipv4Of(g2, g3), ipv4Of(g6 ^ 0xffff, g7 ^ 0xffff)];
  return [];
}

/** Why an address may not be fetched, or null when it may. */
export function addressRefusal(address: string, allowed: BlockList = new BlockList()): string | null {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (allowed.check(address, type)) return null;
  if (type === 'ipv6') {
    for (const inner of embeddedIpv4(address)) {
      const refusal = addressRefusal(inner, allowed);
      if (refusal) return `${address} carries ${inner}: ${refusal}`;
    }
  }
  return blocked.check(address, type) ? `${address} is a private, loopback, link-local or reserved address` : null;
}

function refuse(reason: string): never {
  throw new AppError('URL_NOT_ALLOWED', { details: { reason } });
}

function checkUrl(raw: string, allowed: BlockList): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') refuse('only http and https URLs can be fetched');
  if (url.username || url.password) refuse('URLs with credentials are not fetched');
  const port = url.port ? Number(url.port) : undefined;
  if (port !== undefined && port < 1024 && port !== 80 && port !== 443) refuse(`port ${port} is not allowed`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const refusal = addressRefusal(host, allowed);
    if (refusal) refuse(refusal);
  }
  return url;
}

/** A dns.lookup that refuses the connection when any address of the host is not allowed. */
function guardedLookup(allowed: BlockList) {
  return (
    hostname: string,
    options: dns.LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void,
  ) => {
    dns.lookup(hostname, { all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      for (const a of addresses) {
        const refusal = addressRefusal(a.address, allowed);
        if (refusal) {
          return callback(
            new AppError('URL_NOT_ALLOWED', { details: { reason: `${hostname} resolves to ${refusal}` } }),
            '',
          );
        }
      }
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
      return options.all ? callback(null, addresses) : callback(null, first.address, first.family);
    });
  };
}

function requestOnce(
  url: URL,
  options: Required<Omit<SafeFetchOptions, 'allow'>>,
  allowed: BlockList,
  signal: AbortSignal,
) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(
      url,
      {
        method: 'GET',
        headers: { accept: options.accept, 'user-agent': 'JobrBot/1.0 (+job import)' },
        lookup: guardedLookup(allowed) as never,
        signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > options.maxBytes) {
          res.destroy();
          return reject(new AppError('FETCH_FAILED', { message: 'The page is too large to import.' }));
        }
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            res.destroy();
            reject(new AppError('FETCH_FAILED', { message: 'The page is too large to import.' }));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export async function safeFetch(raw: string, options: SafeFetchOptions = {}): Promise<FetchedPage> {
  const allowed = allowList(options.allow);
  const settings = {
    maxBytes: options.maxBytes ?? 2 * 1024 * 1024,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxRedirects: options.maxRedirects ?? 3,
    accept: options.accept ?? 'text/html,application/ld+json,application/json;q=0.9,*/*;q=0.1',
  };
  const signal = AbortSignal.timeout(settings.timeoutMs);
  let url = checkUrl(raw, allowed);
  for (let redirects = 0; ; redirects++) {
    let res: Awaited<ReturnType<typeof requestOnce>>;
    try {
      res = await requestOnce(url, settings, allowed, signal);
    } catch (err) {
      if (err instanceof AppError) throw err;
      const reason = signal.aborted
        ? 'it took too long'
        : ((err as NodeJS.ErrnoException).code ?? 'the connection failed');
      throw new AppError('FETCH_FAILED', { message: `The page could not be fetched: ${reason}.` });
    }
    if (res.status >= 300 && res.status < 400 && res.headers.location) {
      if (redirects >= settings.maxRedirects) {
        throw new AppError('FETCH_FAILED', { message: `The page redirects more than ${settings.maxRedirects} times.` });
      }
      url = checkUrl(new URL(res.headers.location, url).toString(), allowed);
      continue;
    }
    if (res.status < 200 || res.status >= 300) {
      throw new AppError('FETCH_FAILED', {
        message: `The page answered HTTP ${res.status}.`,
        details: { status: res.status },
      });
    }
    return {
      url: url.toString(),
      status: res.status,
      contentType: String(res.headers['content-type'] ?? ''),
      body: res.body,
    };
  }
}
