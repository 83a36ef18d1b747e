/**
 * The migrated template every test file clones: on PostgreSQL a template database
 * (CREATE DATABASE ... TEMPLATE, ~150 ms), on PGlite a dump of a migrated data folder.
 */
import { randomBytes } from 'node:crypto';

export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;

export function databaseUrlFor(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** PostgreSQL identifiers we generate are [a-z0-9_] only; quote anyway. */
export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
