/**
 * Skill names in one canonical form, shared by jobs, CVs and matching: "JS" and "javascript" are the
 * same skill, and names made of symbols (C#, C++, .NET, Node.js) are kept intact. Canonical keys are
 * the lower-cased taxonomy names (taxonomy.ts); a skill the taxonomy does not know is kept, cleaned.
 */
import { type Skill, skillKey, taxonomy } from './taxonomy.ts';

/** The taxonomy entry for a name or alias, if there is one. */
export function lookupSkill(raw: string): Skill | null {
  return taxonomy.byAlias.get(skillKey(raw)) ?? null;
}

/** The canonical form of one skill name, or null when nothing usable is left. */
export function normalizeSkill(raw: string): string | null {
  const cleaned = skillKey(raw).replace(/^[\s,;:/|-]+|[\s,;:/|-]+$/g, '');
  if (!cleaned || cleaned.length > 100) return null;
  return taxonomy.byAlias.get(cleaned)?.key ?? cleaned;
}

/** Canonical, de-duplicated skills, in first-seen order. */
export function normalizeSkills(raw: readonly string[]): string[] {
  const out = new Set<string>();
  for (const s of raw) {
    const skill = normalizeSkill(s);
    if (skill) out.add(skill);
  }
  return [...out];
}
