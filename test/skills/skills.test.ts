/** The skills taxonomy and the canonical names built on it. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  findSkillsInText,
  lookupSkill,
  normalizeSkill,
  normalizeSkills,
  skillsInText,
} from '../../src/modules/skills/skills.ts';
import { parseTaxonomy, taxonomy } from '../../src/modules/skills/taxonomy.ts';

describe('skills taxonomy', () => {
  it('has at least 1,000 skills across technology, business, healthcare, finance, design, trades and languages', () => {
    expect(taxonomy.skills.length).toBeGreaterThanOrEqual(1000);
    const categories = new Set(taxonomy.skills.map((s) => s.category));
    for (const c of ['technology', 'business', 'healthcare', 'finance', 'design', 'trades', 'languages']) {
      expect(categories).toContain(c);
    }
  });

  it('refuses a name or alias claimed by two skills', () => {
    expect(() => parseTaxonomy('Go | technology | golang\nGolang Tools | technology | golang')).toThrow(
      /"golang" already names Go/,
    );
    const text = readFileSync(new URL('../../src/modules/skills/data/skills-v1.txt', import.meta.url), 'utf8');
    expect(() => parseTaxonomy(text)).not.toThrow();
  });

  it.each([
    ['JS', 'javascript'],
    ['k8s', 'kubernetes'],
    ['ReactJS', 'react'],
    ['C#', 'c#'],
    ['c sharp', 'c#'],
    ['C++', 'c++'],
    ['.NET', '.net'],
    ['dotnet', '.net'],
    ['Node.js', 'node.js'],
    ['NodeJS', 'node.js'],
    ['Postgres', 'postgresql'],
    ['MS Excel', 'excel'],
    ['CPR', 'basic life support'],
    ['Farsi', 'persian'],
    ['Some Niche Tool', 'some niche tool'],
  ])('reads %s as %s', (raw, key) => {
    expect(normalizeSkill(raw)).toBe(key);
  });

  it('knows each skill’s category and display name', () => {
    expect(lookupSkill('golang')).toMatchObject({ name: 'Go', category: 'technology' });
    expect(lookupSkill('hgv')).toMatchObject({ name: 'Commercial Driving', category: 'logistics' });
    expect(lookupSkill('not a skill at all')).toBeNull();
  });

  it.each([
    ['Oracle 10g', 'oracle database'],
    ['SQL Server 2008', 'microsoft sql server'],
    ['Java 8', 'java'],
    ['Python 3.10', 'python'],
    ['MS Visual Studio v2013', 'visual studio'],
    ['Microsoft SharePoint 2013', 'sharepoint'],
    ['Microsoft Azure', 'microsoft azure'],
    ['HTML5', 'html'],
    ['Some Niche Tool 7', 'some niche tool 7'],
  ])('reads %s, a version or Microsoft’s name around a skill, as %s', (raw, key) => {
    expect(normalizeSkill(raw)).toBe(key);
    expect(lookupSkill(raw)?.key ?? raw.toLowerCase()).toBe(key);
  });

  it('de-duplicates aliases of one skill', () => {
    expect(normalizeSkills(['JavaScript', 'js', 'ES6', ' ', 'TypeScript'])).toEqual(['javascript', 'typescript']);
  });
});

describe('findSkillsInText', () => {
  const keys = (text: string) => skillsInText(text);

  it('finds skills in running text, symbols and multi-word names included', () => {
    expect(
      keys('We build services in C#, C++ and .NET on Node.js, with CI/CD, machine learning and scikit-learn.'),
    ).toEqual(['c#', 'c++', '.net', 'node.js', 'ci/cd', 'machine learning', 'scikit-learn']);
  });

  it('reports where each mention is', () => {
    const text = 'Experience with PostgreSQL and k8s.';
    expect(findSkillsInText(text).map((m) => [m.skill, text.slice(m.start, m.end)])).toEqual([
      ['postgresql', 'PostgreSQL'],
      ['kubernetes', 'k8s'],
    ]);
  });

  it('splits compounds that are not skills as a whole', () => {
    expect(keys('Java/Kotlin, React-Redux')).toEqual(['java', 'kotlin', 'react', 'redux']);
  });

  it('does not take everyday words for skills', () => {
    expect(keys('We go further, spring into action, excel at rest and express less. Lead the way.')).toEqual([]);
    expect(keys('Grade c in maths? r u sure')).toEqual([]);
    // A comparison, capitalised at the start of a parenthesis: "(Less than 1 year)" is no Less.
    expect(keys('JAVA (Less than 1 year), SQL (Less  than a year)')).toEqual(['java', 'sql']);
    expect(keys('Styles: Sass, Less')).toEqual(['sass', 'less']);
  });

  it('takes ambiguous names written as skills', () => {
    expect(keys('Languages: Go, Rust, C and R. Frameworks: Spring, Express')).toEqual(
      expect.arrayContaining(['go', 'rust', 'c', 'r', 'spring', 'express']),
    );
  });

  it('does not join words across punctuation', () => {
    // "machine, learning" is two words of a list, not the skill.
    expect(keys('machine, learning')).toEqual([]);
  });

  it('is linear on long hostile input', () => {
    const text = `${'a'.repeat(200_000)} ${'C++ '.repeat(20_000)}${'x.'.repeat(50_000)}`;
    const started = performance.now();
    const found = findSkillsInText(text);
    expect(found.length).toBe(20_000);
    // Not a timing assertion on the machine: a quadratic scan of 400k characters would take minutes.
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
