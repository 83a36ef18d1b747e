/**
 * The skills taxonomy (data/skills-v1.txt): ~1,000 skills, each with a category and aliases. Loaded
 * once; a name or alias claimed by two skills is a data error and stops the process at start.
 */
import { readFileSync } from 'node:fs';

export type Skill = { key: string; name: string; category: string; aliases: string[] };

/** Lower case, single spaces, NFKC: the form names and aliases are matched in. */
export const skillKey = (raw: string) => raw.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

export function parseTaxonomy(text: string): { skills: Skill[]; byAlias: Map<string, Skill> } {
  const skills: Skill[] = [];
  const byAlias = new Map<string, Skill>();
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [name, category, aliases = ''] = line.split('|').map((part) => part.trim());
    if (!name || !category) throw new Error(`skills taxonomy line ${i + 1}: expected "Name | category | aliases"`);
    const skill: Skill = {
      key: skillKey(name),
      name,
      category,
      aliases: aliases
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    };
    for (const alias of [skill.name, ...skill.aliases].map(skillKey)) {
      const taken = byAlias.get(alias);
      if (taken && taken !== skill) {
        throw new Error(`skills taxonomy line ${i + 1}: "${alias}" already names ${taken.name}`);
      }
      byAlias.set(alias, skill);
    }
    skills.push(skill);
  }
  return { skills, byAlias };
}

export const taxonomy = parseTaxonomy(readFileSync(new URL('./data/skills-v1.txt', import.meta.url), 'utf8'));
