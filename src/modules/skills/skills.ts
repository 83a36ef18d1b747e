/**
 * Skill names in one canonical form, shared by jobs, CVs and matching: "JS" and "javascript" are the
 * same skill, and names made of symbols (C#, C++, .NET, Node.js) are kept intact. Canonical keys are
 * the lower-cased taxonomy names (taxonomy.ts); a skill the taxonomy does not know is kept, cleaned.
 */

import { trimWhere } from '../../lib/text.ts';
import { type Skill, skillKey, taxonomy } from './taxonomy.ts';

/** The taxonomy entry for a name or alias, if there is one. */
export function lookupSkill(raw: string): Skill | null {
  return lookupWritten(skillKey(raw));
}

// A version written after a skill's name ("Oracle 10g", "SQL Server 2008", "Java 8", "Visual Studio
// v2013"), and the vendor's name before one of Microsoft's products ("MS Visual Studio", "Microsoft
// SharePoint"): the same skill, written the way CVs and job ads write it.
const VERSION = /\s(?:v\.?\s?)?\d[\w.]{0,8}\+?$/;
const VENDOR = /^(?:ms|microsoft)\s/;

/** The taxonomy entry for a cleaned name, also when it carries a version or a vendor's name. */
function lookupWritten(cleaned: string): Skill | null {
  // A name the taxonomy holds with its number or vendor ("HTML5", "Microsoft Azure") is found whole first.
  const bare = cleaned.replace(VERSION, '');
  for (const name of [cleaned, bare, cleaned.replace(VENDOR, ''), bare.replace(VENDOR, '')]) {
    const skill = taxonomy.byAlias.get(name);
    if (skill) return skill;
  }
  return null;
}

/** The canonical form of one skill name, or null when nothing usable is left. */
export function normalizeSkill(raw: string): string | null {
  const cleaned = trimWhere(skillKey(raw), (c) => /[\s,;:/|-]/.test(c));
  if (!cleaned || cleaned.length > 100) return null;
  return lookupWritten(cleaned)?.key ?? cleaned;
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

export type SkillMention = {
  /** Canonical key of the skill (as normalizeSkill gives it). */
  skill: string;
  /** The taxonomy's display name. */
  name: string;
  /** Offsets of the mention in the text: text.slice(start, end) is what was read. */
  start: number;
  end: number;
};

// Aliases that are also everyday words or initials ("go", "spring", "excel", "lead", "R", "AD"): in running
// text they count only when written the way the skill is written (case-sensitive display name, or all
// capitals for an abbreviation), so "we go further" is not Go but "Go, Rust" is.
const AMBIGUOUS = new Set(
  (
    'go c r d excel rest less express spring node nest swift rust ruby react scheme racket ada crystal assembly ' +
    'echo gin phoenix compose unity lambda chef puppet packer vault consul envoy segment sketch premiere ' +
    'teams word slack notion monday strategy operations sourcing leading writing presenting training ' +
    'production maintenance cleaning receiving dispatch driving driver serving reception filing typing ' +
    'coffee travel events options futures bonds audit tax payments insurance banking contracts privacy ' +
    'therapy research assessment surgery pos ad ap ar gl pe vc er ot pa pr ca qa bi ia hr fp tf sh vb wp ' +
    'sem sap sage epic tally make shell cli auth radio reporting simulation optimization architecture ' +
    'automation construction hive spark presto looker amplitude blender maya sheets mining latin ' +
    'bun deno ember backbone ionic maui flutter helm kube containers lean closing organization ' +
    'collaboration communication listening flexibility monitoring networking analytics statistics ' +
    'documentation editing events prototypes interviews interviewing hiring recruiting admin ' +
    'administration scheduling translation interpretation purchasing procurement budgeting coaching ' +
    'catering tourism baking cooking pastry milling lathe machining wiring painting roofing tiling ' +
    'gardening landscaping housekeeping freight customs agriculture farming physics chemistry ' +
    'mathematics maths math dl ml ai eq ui ux ts js py asm hg ros spa ssr sre soc eda ddd bd cro pci ' +
    'sas spss gis wms tms mrp plc scm bim cnc qc ehs hse ohs sen rn icu a&e cpr bls cbt dei od ' +
    'l&d m&a d&i dcf ca cpa cfa kyc aml gst vat sox iam elk otel dba mdm gtm upi pwa i18n l10n ' +
    'cuda hpc vr iot esl tutor dsa fpga vhdl dns http https tcp vpn ldap iis'
  ).split(' '),
);

// For each first word of a name or alias, the most words any alias starting with it has: most words start
// none, so most positions need one lookup.
const WORDS_AFTER = new Map<string, number>();
for (const alias of taxonomy.byAlias.keys()) {
  const words = alias.split(' ');
  const first = words[0] as string;
  WORDS_AFTER.set(first, Math.max(WORDS_AFTER.get(first) ?? 0, words.length));
}
const LIST_SEPARATOR = new Set([',', ';', '/', '|', '(', ')', '[', ']', '•', '·', '\n', '\r', '\t']);

type Token = { text: string; start: number; end: number; joinsPrevious: boolean };

const isWordChar = (ch: string) => {
  const code = ch.charCodeAt(0);
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return /[\p{L}\p{N}]/u.test(ch);
};

/**
 * Words of a text, keeping the symbols that belong to skill names: C#, C++, F#, .NET, Node.js, CI/CD,
 * PL/SQL, scikit-learn, M&A. A word may be looked up whole ("ci/cd") or in parts ("java/kotlin").
 * One pass over the text, no backtracking: safe on any input size.
 */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let gapHasPunctuation = true;
  while (i < text.length) {
    const ch = text[i] as string;
    const startsDotWord = ch === '.' && isWordChar(text[i + 1] ?? '') && !isWordChar(text[i - 1] ?? '');
    if (!isWordChar(ch) && !startsDotWord) {
      if (ch !== ' ' && ch !== '\u00a0' && ch !== '\n' && ch !== '\r' && ch !== '\t') gapHasPunctuation = true;
      i++;
      continue;
    }
    const start = i;
    i++;
    while (i < text.length) {
      const c = text[i] as string;
      if (isWordChar(c)) i++;
      else if ('.-/&'.includes(c) && isWordChar(text[i + 1] ?? '')) i += 2;
      else break;
    }
    // Trailing symbols that are part of a name: C++, C#, F#.
    while (i < text.length && (text[i] === '+' || text[i] === '#') && i - start < 20) i++;
    tokens.push({ text: text.slice(start, i), start, end: i, joinsPrevious: !gapHasPunctuation });
    gapHasPunctuation = false;
  }
  return tokens;
}

function acceptable(original: string, alias: string, text: string, start: number, end: number) {
  if (!AMBIGUOUS.has(alias)) return true;
  const first = original[0] ?? '';
  if (first === first.toLowerCase()) return false;
  // A comparison is not a skill, capitalised or not: "(Less than 1 year)" is no Less.
  if (/^\s{1,3}than\b/i.test(text.slice(end, end + 8))) return false;
  const before = text.slice(Math.max(0, start - 3), start).trimEnd();
  // A capital at the start of a sentence says nothing: "Go ahead." is not Go.
  if (/[.!?]$/.test(before)) return false;
  if (alias.length > 1) return true;
  // A single letter (C, R) counts only inside a list: "C, C++ and R".
  const after = text.slice(end, end + 5).trimStart();
  return (
    before === '' ||
    /\b(and|or)\s*$/i.test(text.slice(Math.max(0, start - 5), start)) ||
    LIST_SEPARATOR.has(before.at(-1) ?? '') ||
    LIST_SEPARATOR.has(after[0] ?? '\n') ||
    /^(and|or)\b/i.test(after)
  );
}

const PRINTABLE_ASCII = /^[\x21-\x7e]*$/;

/**
 * Every taxonomy skill mentioned in free text (a job description, a line of a CV), longest match first,
 * in text order. Ambiguous everyday words count only when written like the skill (see AMBIGUOUS).
 */
export function findSkillsInText(text: string): SkillMention[] {
  const found: SkillMention[] = [];
  const tokens = tokenize(text);
  // A token holds no white space; an ASCII one is its own NFKC form, so lower case is its key (the
  // common case, without skillKey's normalisation: this loop reads every word of every description).
  const keys = tokens.map((t) => (PRINTABLE_ASCII.test(t.text) ? t.text.toLowerCase() : skillKey(t.text)));
  let i = 0;
  while (i < tokens.length) {
    let matched = 0;
    let longest = Math.min(WORDS_AFTER.get(keys[i] as string) ?? 1, tokens.length - i);
    for (let n = 2; n <= longest; n++) if (!tokens[i + n - 1]?.joinsPrevious) longest = n - 1;
    for (let n = longest; n >= 1 && !matched; n--) {
      const first = tokens[i] as Token;
      const last = tokens[i + n - 1] as Token;
      const alias = n === 1 ? (keys[i] as string) : keys.slice(i, i + n).join(' ');
      const skill = taxonomy.byAlias.get(alias);
      if (skill && acceptable(text.slice(first.start, last.end), alias, text, first.start, last.end)) {
        found.push({ skill: skill.key, name: skill.name, start: first.start, end: last.end });
        matched = n;
      }
    }
    if (!matched) {
      // A compound word that is not a skill as a whole may hold skills: "Java/Kotlin", "React-Redux".
      const token = tokens[i] as Token;
      if (/[-/.&]/.test(token.text.slice(1))) {
        for (const part of findSkillsInText(token.text.replace(/[-/.&]/g, ' ').replace(/^ /, '.'))) {
          found.push({ ...part, start: token.start + part.start, end: token.start + part.end });
        }
      }
    }
    i += matched || 1;
  }
  return found;
}

/** The distinct canonical skills mentioned in a text, in first-seen order. */
export function skillsInText(text: string): string[] {
  return [...new Set(findSkillsInText(text).map((m) => m.skill))];
}

/** The skills a job posting names in its title and description, title first (what matching reads, issue 13). */
export function textSkillsOf(title: string, description: string): string[] {
  return [...new Set([...skillsInText(title), ...skillsInText(description)])];
}
