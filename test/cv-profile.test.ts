/** The rules that read a structured profile from CV text. */
import { describe, expect, it } from 'vitest';
import { parseProfile, splitSections, totalYears } from '../src/modules/cvs/profile.ts';

const now = new Date('2026-11-26T00:00:00Z');

describe('profile rules', () => {
  it('title-cases a name written in capitals, and keeps names with accents and apostrophes', () => {
    expect(parseProfile('JOSÉ ÁLVAREZ-O’NEIL\njose@example.test', now).name).toEqual({
      value: 'José Álvarez-O’Neil',
      confidence: 0.95,
    });
    expect(parseProfile('Zhang Wei\nShanghai, China', now).name.value).toBe('Zhang Wei');
  });

  it('does not take a date range or a year list for a phone number', () => {
    const profile = parseProfile('Ana Silva\nExperience\nAnalyst, Banco Exemplo 2018 - 2021', now);
    expect(profile.phone.value).toBeNull();
    expect(parseProfile('Ana Silva\n(020) 7946 0958', now).phone.value).toBe('(020) 7946 0958');
  });

  it('recognises section headings in different words and cases, with or without a colon', () => {
    const sections = splitSections(
      'Name Here\nWORK HISTORY:\nA job\nTechnical Skills\nGo, Rust\nAcademic Background\nA school',
    );
    expect(Object.keys(sections)).toEqual(['header', 'experience', 'skills', 'education']);
  });

  it('counts overlapping jobs once in the total years', () => {
    const jobs = [
      { title: 'A', company: null, start: 'Jan 2015', end: 'Dec 2019', description: '' },
      { title: 'B', company: null, start: '06/2018', end: '2020-12', description: '' },
      { title: 'C', company: null, start: '2022', end: 'present', description: '' },
    ];
    // 2015-01..2020-12 (6 years) + 2022-01..2026-11 (4.8 years)
    expect(totalYears(jobs, now)).toBe(10.8);
    expect(totalYears([], now)).toBeNull();
  });

  it('reports zero confidence for what it could not find', () => {
    const profile = parseProfile('just some words without structure', now);
    expect(profile.email).toEqual({ value: null, confidence: 0 });
    expect(profile.experience.value).toEqual([]);
    expect(profile.experience.confidence).toBe(0);
  });
});
