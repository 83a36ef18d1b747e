/** The skills taxonomy and the canonical names built on it. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lookupSkill, normalizeSkill, normalizeSkills } from '../src/modules/skills/skills.ts';
import { parseTaxonomy, taxonomy } from '../src/modules/skills/taxonomy.ts';

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
    const text = readFileSync(new URL('../src/modules/skills/data/skills-v1.txt', import.meta.url), 'utf8');
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

  it('de-duplicates aliases of one skill', () => {
    expect(normalizeSkills(['JavaScript', 'js', 'ES6', ' ', 'TypeScript'])).toEqual(['javascript', 'typescript']);
  });
});
