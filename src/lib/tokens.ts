/**
 * Secrets we hand out: random (256 bits), shown once, stored only as SHA-256, compared by hash lookup
 * (the database compares hashes of secrets, so no timing signal depends on the secret itself).
 */
import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** 32 random bytes, base64url: a session token, a verification token, an OAuth state. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(bytes: Buffer, length: number): string {
  let out = '';
  let n = BigInt(`0x${bytes.toString('hex') || '0'}`);
  for (let i = 0; i < length; i++) {
    out += BASE62[Number(n % 62n)];
    n /= 62n;
  }
  return out;
}

function checksum(body: string): string {
  const c = crc32(body);
  const buf = Buffer.alloc(4);
  buf.writeUInt32BE(c);
  return base62(buf, 6);
}

const API_KEY = /^jobr_([0-9A-Za-z]{40})_([0-9A-Za-z]{6})$/;

/**
 * `jobr_<40 base62 chars: ~238 bits>_<6-char CRC32 checksum>`. The prefix makes a leaked key easy to
 * recognise (secret scanners); the checksum lets us reject typos and garbage without a database query.
 */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const body = base62(randomBytes(32), 40);
  const key = `jobr_${body}_${checksum(body)}`;
  return { key, prefix: key.slice(0, 12), hash: sha256Hex(key) };
}

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith('jobr_');
}

/** True when the key is well-formed and its checksum matches. */
export function isValidApiKey(value: string): boolean {
  const m = API_KEY.exec(value);
  return m !== null && checksum(m[1] as string) === m[2];
}
