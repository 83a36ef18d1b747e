/**
 * Password rules after NIST SP 800-63B §3.1.1.2 and OWASP ASVS 5.0 V6.2: length is what matters, so
 * at least 8 characters (counted as code points, so emoji and accents count once), at least 64 allowed,
 * no composition rules, and no password from the common-password list. Capped in bytes so a huge
 * password cannot make argon2 burn CPU.
 */
import { readFileSync } from 'node:fs';

export const PASSWORD_MIN_CHARS = 8;
export const PASSWORD_MAX_CHARS = 128;
/** UTF-8 bytes; checked before hashing. 128 four-byte characters fit. */
export const PASSWORD_MAX_BYTES = 512;

// Built by scripts/make-common-passwords.py; compared case-insensitively.
const common = new Set(
  readFileSync(new URL('./data/common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.trim().toLowerCase())
    .filter(Boolean),
);

/** Why this password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) return `Use at most ${PASSWORD_MAX_BYTES} bytes.`;
  const length = [...password].length;
  if (length < PASSWORD_MIN_CHARS) return `Use at least ${PASSWORD_MIN_CHARS} characters.`;
  if (length > PASSWORD_MAX_CHARS) return `Use at most ${PASSWORD_MAX_CHARS} characters.`;
  if (common.has(password.toLowerCase())) return 'This password is too common. Choose a longer, less predictable one.';
  return null;
}

export const commonPasswordCount = common.size;
