/** Normalising what people type as their e-mail address or phone number. */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { EMAIL_PATTERN } from '../../db/schema/users.ts';

const emailPattern = new RegExp(EMAIL_PATTERN);

/**
 * Trimmed, with the domain lower-cased (domains are case-insensitive; the local part is kept as typed).
 * Uniqueness and look-ups use lower(email), so "Ann@X.io" and "ann@x.io" are one account.
 * Returns null when the address does not match the database's CHECK pattern or is too long.
 */
export function normalizeEmail(raw: string): string | null {
  const trimmed = raw.trim();
  const at = trimmed.lastIndexOf('@');
  if (at < 1) return null;
  const email = `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}`;
  return email.length <= 255 && emailPattern.test(email) ? email : null;
}

/** E.164 ("+919876543210"), or null. Numbers must carry their country code ("+44 20 7946 0958"). */
export function normalizePhone(raw: string): string | null {
  const parsed = parsePhoneNumberFromString(raw.trim());
  return parsed?.isValid() ? parsed.number : null;
}

export type Identifier = { kind: 'email'; email: string } | { kind: 'phone'; phone: string };

/** A log-in identifier: an e-mail address if it has an @, otherwise a phone number. */
export function parseIdentifier(raw: string): Identifier | null {
  if (raw.includes('@')) {
    const email = normalizeEmail(raw);
    return email ? { kind: 'email', email } : null;
  }
  const phone = normalizePhone(raw);
  return phone ? { kind: 'phone', phone } : null;
}
