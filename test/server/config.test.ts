import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('configuration', () => {
  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ API_KEY_PLANS: 'premium,platinum' })).toThrow(/API_KEY_PLANS/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).database.kind).toBe('pglite');
  });

  it('enables an OAuth provider only when both its id and secret are set', () => {
    expect(loadConfig({ GOOGLE_CLIENT_ID: 'id' }).oauth.google).toBeUndefined();
    expect(loadConfig({ GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 'secret' }).oauth.google).toEqual({
      clientId: 'id',
      clientSecret: 'secret',
      issuer: 'https://accounts.google.com',
    });
  });

  it('requires a fixed COOKIE_SECRET in production once OAuth is configured', () => {
    const oauth = { NODE_ENV: 'production', GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 'secret' };
    expect(() => loadConfig(oauth)).toThrow(/COOKIE_SECRET/);
    expect(loadConfig({ ...oauth, COOKIE_SECRET: 'x'.repeat(32) }).cookieSecret).toBe('x'.repeat(32));
    // Without OAuth, or outside production, a random secret per process is fine.
    expect(loadConfig({ NODE_ENV: 'production' }).cookieSecret).toHaveLength(43);
  });
});

describe('JOBR_WORKERS (cluster mode)', () => {
  const url = { DATABASE_URL: 'postgres://app@127.0.0.1:5432/jobr' };

  it('defaults to one process', () => {
    expect(loadConfig({}).workers).toBe(1);
    expect(loadConfig(url).workers).toBe(1);
  });

  it('takes a number of workers, or auto for one per core, with PostgreSQL', () => {
    expect(loadConfig({ ...url, JOBR_WORKERS: '3' }).workers).toBe(3);
    expect(loadConfig({ ...url, JOBR_WORKERS: 'auto' }).workers).toBeGreaterThanOrEqual(1);
  });

  it('refuses more than one worker on the embedded database, naming the variable and the way out', () => {
    expect(() => loadConfig({ JOBR_WORKERS: '2' })).toThrow(ConfigError);
    expect(() => loadConfig({ JOBR_WORKERS: '2' })).toThrow(/JOBR_WORKERS.*DATABASE_URL/);
    expect(loadConfig({ JOBR_WORKERS: '1' }).workers).toBe(1);
  });

  it('rejects nonsense', () => {
    for (const bad of ['0', '-1', '65', '1.5', 'many']) {
      expect(() => loadConfig({ ...url, JOBR_WORKERS: bad })).toThrow(/JOBR_WORKERS/);
    }
  });
});

describe('SEARCH_CONCURRENCY', () => {
  it('defaults to 4, takes 0 for no limit, and rejects nonsense naming the variable', () => {
    expect(loadConfig({}).searchConcurrency).toBe(4);
    expect(loadConfig({ SEARCH_CONCURRENCY: '0' }).searchConcurrency).toBe(0);
    expect(loadConfig({ SEARCH_CONCURRENCY: '12' }).searchConcurrency).toBe(12);
    for (const bad of ['-1', '1.5', 'few', '1001']) {
      expect(() => loadConfig({ SEARCH_CONCURRENCY: bad })).toThrow(/SEARCH_CONCURRENCY/);
    }
  });
});

describe('EMBEDDED_WASM_OPTIMIZE', () => {
  it('is off unless asked for, and only describes the embedded database', () => {
    expect(loadConfig({}).database).toMatchObject({ kind: 'pglite', optimize: false });
    expect(loadConfig({ EMBEDDED_WASM_OPTIMIZE: 'true' }).database).toMatchObject({ kind: 'pglite', optimize: true });
    expect(() => loadConfig({ EMBEDDED_WASM_OPTIMIZE: 'fast' })).toThrow(/EMBEDDED_WASM_OPTIMIZE/);
  });
});
