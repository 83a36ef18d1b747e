import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DoctorSection, doctor, formatDoctor } from '../../src/modules/ops/doctor.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createJob } from '../helpers/factories.ts';

describe('jobr doctor', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    const job = await createJob(database.db);
    await database.superuserQuery('delete from jobs where id = $1', [job.id]);
  });
  afterAll(async () => database?.close());

  it('prints every section, answering what the database can and saying what it cannot', async () => {
    const sections = await doctor(database);
    const byTitle: Record<string, DoctorSection> = Object.fromEntries(sections.map((s) => [s.title.split(' (')[0], s]));
    expect(Object.keys(byTitle)).toEqual([
      'Database',
      'Slowest statements',
      'Index usage',
      'Unused indexes',
      'Table bloat estimate',
      'Long transactions',
      'Connections',
    ]);
    expect(String(byTitle.Database?.rows[0]?.version)).toMatch(/^PostgreSQL \d+/);
    expect(byTitle['Index usage']?.rows.length).toBeGreaterThan(0);
    expect(byTitle['Index usage']?.rows[0]).toHaveProperty('tuples_read');
    if (database.kind === 'postgres') {
      // The test server has no pg_stat_statements preloaded: the section explains how to get it.
      expect(byTitle['Slowest statements']?.note ?? '').toMatch(/pg_stat_statements|^No statements/);
      expect(byTitle.Connections?.rows.length).toBeGreaterThan(0);
    } else {
      expect(byTitle['Slowest statements']?.note).toMatch(/embedded/);
      expect(byTitle.Connections?.note).toMatch(/embedded/);
    }
    const text = formatDoctor(sections).join('\n');
    expect(text).toContain('== Index usage');
    expect(text).toMatch(/_pkey/);
  });
});
