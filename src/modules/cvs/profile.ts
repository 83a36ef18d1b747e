/**
 * A structured profile read from a CV's text: contact details, sections, skills, work history,
 * education, languages and total years of experience. Every field carries a confidence in [0, 1], so
 * an interface can say what it is unsure of. Rules, not a model: each one is small and tested.
 */
import { oneOf, trimWhere } from '../../lib/text.ts';
import { lookupSkill, normalizeSkills, skillsInText } from '../skills/skills.ts';

/** Fewer characters than this is not a CV's worth of text. */
export const MIN_TEXT_CHARS = 30;

// The entities a web page's text keeps when it is exported or copied as it is ("R&amp;D", "Sales &amp;
// Marketing": a job board's export): "&amp;" would read as an item ending in ";" in a list.
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", nbsp: ' ' };

/** Extracted text with HTML's common entities decoded, and runs of blanks and of empty lines collapsed. */
export function cleanCvText(text: string): string {
  return text
    .replace(/&(amp|lt|gt|quot|apos|#39|nbsp);/g, (_, name: string) => ENTITIES[name] ?? '')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export type Field<T> = { value: T; confidence: number };
export type Job = {
  title: string | null;
  company: string | null;
  start: string | null;
  end: string | null;
  description: string;
};
export type Education = {
  institution: string | null;
  degree: string | null;
  /** The subject, when the degree names it ("in Computer Science", "(Physics)"). */
  field: string | null;
  /** A grade or score as written ("8.1 CGPA", "78%", "GPA: 3.8"). */
  grade: string | null;
  start: string | null;
  end: string | null;
};

export type Profile = {
  name: Field<string | null>;
  /** The role the candidate states under the name ("Java Developer"), not a job of the work history. */
  headline: Field<string | null>;
  email: Field<string | null>;
  phone: Field<string | null>;
  location: Field<string | null>;
  links: Field<string[]>;
  summary: Field<string | null>;
  skills: Field<string[]>;
  experience: Field<Job[]>;
  education: Field<Education[]>;
  languages: Field<string[]>;
  totalYearsExperience: Field<number | null>;
};

const SECTION_NAMES: Record<string, RegExp> = {
  summary: /^(summary|profile|professional summary|about me|about|objective|career objective|personal statement)$/,
  experience:
    /^(experience|work experience|professional experience|employment|employment history|work history|career history|relevant experience)$/,
  education: /^(education|academic background|education and training|qualifications|academic qualifications)$/,
  skills:
    /^(skills|technical skills|core skills|key skills|competencies|core competencies|skills and tools|technologies|tools)$/,
  languages: /^(languages|language skills)$/,
  // Job-board exports (Indeed) end with "CERTIFICATIONS/LICENSES" and "LINKS": without them, a
  // certificate's "NIIT - 2016 to 2016" read as a job.
  other:
    /^(certifications|certificates|certifications\s?(?:\/|and|&)\s?licen[cs]es|licen[cs]es|awards|achievements|accomplishments|publications|interests|hobbies|references|volunteering|courses|links|declaration|personal details|personal information|additional information|strengths?|extra[- ]?curricular activities|co[- ]?curricular activities)$/,
  // A projects section, in the wordings CVs use ("Academic Projects", "Projects undertaken (BE)",
  // "Other Projects and Real Time Training"): its entries name projects, never an employer. "Project
  // Details:" or "Project 1:" inside a job are that job's own, and stay in the work history.
  projects:
    /^(?!project$)(?:(?:academic|personal|college|university|final year|mini|major|minor|key|notable|selected|side|other|open source|b\.?\s?e|b\.?\s?tech|m\.?\s?tech|mca|student)\s)?projects?(?:\s(?:undertaken|done|completed|handled|worked on|and\s.{1,30}|&\s.{1,30}))?(?:\s?\([^)]{1,20}\))?$/,
};

export function sectionOf(line: string): string | null {
  const words = trimWhere(line, oneOf(':|•·'), 'end').trim().toLowerCase();
  if (words.length === 0 || words.length > 40) return null;
  for (const [name, re] of Object.entries(SECTION_NAMES)) if (re.test(words)) return name;
  return null;
}

/**
 * How a line looks in the document (PDF or DOCX): bold, its type size over the body text's, and in a PDF
 * where a rule is drawn against it ("below", "above", "left", "right", joined by "+" when several).
 */
export type LineStyle = { bold: boolean; scale: number; rule?: string | undefined };
export type StyledLine = LineStyle & { text: string };
type Styles = Map<string, LineStyle>;

const styleKey = (line: string) => line.replace(/\s+/g, ' ').trim();
/** Bold or larger than the body text. */
const emphasised = (styles: Styles, line: string) => {
  const style = styles.get(styleKey(line));
  return style !== undefined && (style.bold || style.scale >= 1.1);
};
const lookOf = (style: LineStyle, line: string) =>
  `${style.bold}|${Math.round(style.scale * 10)}|${!/\p{Ll}/u.test(line)}|${style.rule ?? ''}`;

/**
 * The looks (bold, size, capitals) of the headings this document names in words we know: a line that
 * looks the same and is short is a heading too, of a section we do not know ("Leadership", "Side
 * Work"), and ends the one before it, so its entries do not join the work history.
 */
function headingLooks(lines: string[], styles: Styles): Set<string> {
  const looks = new Set<string>();
  if (styles.size === 0) return looks;
  const ruledOnly = new Map<string, number>();
  for (const line of lines) {
    const style = styles.get(styleKey(line));
    if (!style || !sectionOf(line)) continue;
    // Bold alone, in the body's size and case, is how entries are set too (a bold employer): too
    // common to tell a heading by; larger type, capitals or a rule drawn against the line are not.
    const typed = style.scale >= 1.1 || (style.bold && !/\p{Ll}/u.test(line));
    if (typed) looks.add(lookOf(style, line));
    else if (style.rule) {
      const look = lookOf(style, line);
      ruledOnly.set(look, (ruledOnly.get(look) ?? 0) + 1);
    }
  }
  // Headings set as the body text is, told apart only by their rule: two of them must share it, since a
  // table's border or a separator can fall next to one heading by chance.
  for (const [look, count] of ruledOnly) if (count >= 2) looks.add(look);
  // A look the entries share (a bold employer, a bold role with its dates) tells headings from
  // nothing: then only the known wordings are headings.
  for (const line of lines) {
    const style = looks.size > 0 ? styles.get(styleKey(line)) : undefined;
    if (!style || sectionOf(line)) continue;
    const kinds = fragments(line).map(kindOf);
    if (isAnchor(line) || kinds.includes('title') || kinds.includes('company')) looks.delete(lookOf(style, line));
  }
  return looks;
}

function unknownHeading(line: string, styles: Styles, looks: Set<string>): boolean {
  const style = styles.get(styleKey(line));
  if (!style || !looks.has(lookOf(style, line))) return false;
  const words = trimWhere(line, oneOf(':'), 'end').trim();
  // A heading is a few words without digits or separators; a bold employer or role in the same type
  // is one of the work history's own lines.
  return (
    words.length <= 40 &&
    words.split(/\s+/).length <= 4 &&
    !/[\d,|@–—]|\s-\s/.test(words) &&
    // Nor is a bullet or the end of a sentence (the last line of a paragraph above a separator).
    !BULLET.test(words) &&
    !/[.;]$/.test(words) &&
    kindOf(words) === 'other' &&
    !KNOWN_EMPLOYERS.test(words)
  );
}

/**
 * Headings by their words: the words real CVs name their sections with beyond the wordings above
 * ("Where I've Worked", "Academic Profile", "Skill Set", "Technical Proficiency", "Toolbox"). Each
 * pattern tests one word (anchored alternations: linear on any input).
 */
const HEADING_WORDS: Record<string, RegExp> = {
  experience: /^(?:experiences?|employments?|worked|internships?)$/,
  education: /^(?:education|educational|academics?|qualifications?|scholastic|degrees?)$/,
  skills:
    /^(?:skills?|skillset|technical|proficienc(?:y|ies)|competenc(?:e|es|y|ies)|toolbox|toolkit|tech|stack|expertise|programming|scripting|computer)$/,
  languages: /^languages?$/,
  // "Project Details:" or "Project 1:" inside a job are that job's own: only the plural names a section.
  projects: /^projects$/,
  other:
    /^(?:certifications?|certificates?|awards?|achievements?|accomplishments?|interests?|hobby|hobbies|references?|publications?|volunteer(?:ing)?|declaration|trainings?|workshops?|information)$/,
};
/** Words that name a section only when no word above does: "Experience Summary" is the work history. */
const WEAK_WORDS: Record<string, RegExp> = {
  summary: /^(?:summary|profile|objective|overview|about)$/,
  experience: /^(?:career|work)$/,
};
/** Words a heading wraps its section's words in ("Key", "My", "Where I've", "Set", "Record"). */
const HEADING_FILLER =
  /^(?:and|&|of|in|on|my|the|i|i've|ive|me|where|what|have|key|core|other|additional|relevant|professional|personal|soft|it|set|known|record|records|details|history|background|highlights|credentials|areas?|abilities)$/;

const ANY_HEADING_WORD = [...Object.values(HEADING_WORDS), ...Object.values(WEAK_WORDS)];

const headingWords = (line: string) =>
  trimWhere(line.slice(0, 60), oneOf(':|•·'), 'end')
    .trim()
    .toLowerCase()
    .replaceAll('’', "'")
    .split(/[\s&/,]+/)
    .filter(Boolean);
const sectionsNamed = (words: string[], names: Record<string, RegExp>) =>
  new Set(words.flatMap((w) => Object.keys(names).filter((name) => names[name]?.test(w))));

/**
 * The one section a heading's words point to ("Professional Experience & Internships", "Academic
 * Profile"), or null when they point to none or to two ("Skills & Experience"). The weak words count
 * only when every word is a heading's word ("Career Profile"; not "Side Work"). `strict` (plain text,
 * where the words are all there is): every word must be a heading's word ("Experience with Python" is
 * a sentence), and only the strong words count ("Overview:" labels a field of a job).
 */
export function sectionByWords(line: string, strict: boolean): string | null {
  const words = headingWords(line);
  const known = (w: string) => HEADING_FILLER.test(w) || ANY_HEADING_WORD.some((re) => re.test(w));
  const plain = words.length > 0 && words.every(known);
  if (strict && !plain) return null;
  const strong = sectionsNamed(words, HEADING_WORDS);
  const named = strong.size > 0 || !plain || strict ? strong : sectionsNamed(words, WEAK_WORDS);
  return named.size === 1 ? ([...named][0] as string) : null;
}

/**
 * In plain text, a short line in a heading's form — all capitals, a label ending in ':' alone, or Title
 * Case set apart by a blank line — whose words name one section: "SKILL SET", "Academic Profile:",
 * "Where I've Worked". Never a bullet, a sentence, a role or an employer ("Technical Lead").
 */
function plainHeading(line: string, apart: boolean, current: string, named: Set<string>): string | null {
  const words = trimWhere(line, oneOf(':'), 'end').trim();
  if (words.length > 50 || /[\d.;:]/.test(words) || BULLET.test(words) || words.split(/\s+/).length > 5) return null;
  const capitals = /\p{Lu}/u.test(words) && !/\p{Ll}/u.test(words);
  const titled = words.split(/\s+/).every((w) => /^[\p{Lu}&]/u.test(w) || HEADING_FILLER.test(w));
  // In sentence case ("Technical expertise") too: its words must all be a heading's (below).
  const sentenced = /^\p{Lu}/u.test(words);
  if (!capitals && !line.endsWith(':') && !((titled || sentenced) && apart)) return null;
  // A role or an employer ends with its own noun ("Technical Lead"); a heading may hold a role's or an
  // employer's word before its section's ("Professional Skills", "Projects Summary").
  const endsNamingSection = ANY_HEADING_WORD.some((re) => re.test(headingWords(words).at(-1) ?? ''));
  if (!endsNamingSection && fragments(words).some((f) => kindOf(f) === 'title' || kindOf(f) === 'company')) return null;
  // A skills heading may name its field first, in words of its own ("Ledger Tools Skill Set", "Design
  // Skills"); in a job's description such a line ("Strong Leadership Skills") is the job's.
  const fielded = SKILLS_LAST.test(words) && !WORK_HISTORY.has(current);
  const section = sectionByWords(words, true) ?? (fielded ? 'skills' : null);
  if (!section) return null;
  const repeated = named.has(section);
  // Skills named again outside the work history head a second list (MORE_SKILLS). Under a list, its own
  // sub-heading ("Soft Skills") is one of its lines, dropped as no skill; in a job's description, the
  // candidate's "KEY TECHNICAL SKILLS" over the export's "SKILLS" are the job's.
  if (section === 'skills') {
    if (SKILL_LISTS.has(current) || (repeated && WORK_HISTORY.has(current))) return null;
    return repeated ? MORE_SKILLS : section;
  }
  // Under a list of skills, a heading of any other section ends it ("Areas of Interest", "Projects Summary").
  if (SKILL_LISTS.has(current)) return repeated ? 'other' : section;
  // Elsewhere, only a section we read, named once: certificates listed under Education ("Certificate of
  // Achievement", "Other Qualifications") are its entries, and a heading would cut them off.
  return section === 'other' || repeated ? null : section;
}

const SKILLS_LAST = /\sskills?(?:\s?sets?)?$/i;
const WORK_HISTORY = new Set(['experience', 'projects']);
/**
 * A second list of skills, under a heading of the candidate's own beside the document's Skills section
 * ("Computer Skills" in a job-board export's "Additional Information"): free text around a list, read
 * for the taxonomy's skills only.
 */
const MORE_SKILLS = 'more skills';
const SKILL_LISTS = new Set(['skills', MORE_SKILLS]);

/**
 * In plain text, a heading and the first item of its list on one line, as text extraction joins them
 * ("SKILL SET • ASP.NET, C#"): the words before the first bullet glyph, and the rest from the bullet on.
 */
function splitAtBullet(line: string): [string, string] | [] {
  const at = line.slice(0, 42).search(/\s[\p{S}•●▪◦‣⁃∙·]\s/u);
  return at >= 3 ? [line.slice(0, at).trim(), line.slice(at + 1).trim()] : [];
}

/**
 * Lines grouped under their section heading; lines before the first heading are the "header". With the
 * document's styles, a line that looks like its known headings is a heading too: of the section its
 * words name, else of a section we do not know. Without styles, a line in a heading's form whose words
 * name a section heads it.
 */
export function splitSections(text: string, styles: Styles = new Map()): Record<string, string[]> {
  const sections: Record<string, string[]> = { header: [] };
  let current = 'header';
  const all = text.split('\n');
  const looks = headingLooks(all, styles);
  // The sections the document names in known words (see plainHeading).
  const named = new Set(all.map((l) => sectionOf(l.trim())).filter((s): s is string => s !== null && s !== 'other'));
  for (const [i, raw] of all.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const apart = !all[i - 1]?.trim() || !all[i + 1]?.trim();
    const heading =
      sectionOf(line) ??
      (looks.size > 0 && unknownHeading(line, styles, looks) ? (sectionByWords(line, false) ?? 'other') : null) ??
      (styles.size === 0 ? plainHeading(line, apart, current, named) : null);
    const [head, rest] = heading || styles.size > 0 ? [] : splitAtBullet(line);
    const inlineHeading = head ? (sectionOf(head) ?? plainHeading(head, false, current, named)) : null;
    if (heading || inlineHeading) {
      current = (heading ?? inlineHeading) as string;
      sections[current] ??= [];
    }
    const content = heading ? null : inlineHeading ? rest : line;
    if (!content) continue;
    const lines = sections[current] ?? [];
    lines.push(content);
    sections[current] = lines;
  }
  return sections;
}

// Every pattern below runs over untrusted text: each quantifier is bounded (or anchored with nothing
// after it that can fail), so the work is linear in the text's length. An unbounded run such as
// `[A-Za-z0-9._%+-]+@` rescans a long run of letters from every start position: 80,000 letters
// without an '@' stalled the server for 15 s (issue 11).
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,6}\.[A-Za-z]{2,24}\b/;
const PHONE = /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d[\d\s.-]{6,20}\d/;
const URL_RE =
  /\b(?:https?:\/\/)?(?:www\.)?(?:linkedin\.com|github\.com|gitlab\.com|[a-z0-9-]{1,63}\.(?:dev|io|me))\/?[^\s,;|)]{0,200}/gi;
const MONTHS =
  'jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december';
const DATE = `(?:(?:${MONTHS})\\.?\\s{1,3}\\d{4}|\\d{1,2}[/.-]\\d{4}|\\d{4}[/.-]\\d{1,2}|\\d{4})`;
const RANGE = new RegExp(
  `(${DATE})\\s{0,3}(?:-|–|—|to|till|until)\\s{0,3}(${DATE}|present|current|now|today|date)`,
  'i',
);

const CONTACT_LABEL =
  /\b(?:full name|name|e-?mail(?: id| address)?|phone|mobile|mob|cell|tel|telephone|contact(?: no)?|address|linkedin|github|website|location)\.?\s?(?:no\.?|number)?\s?[:：]/gi;

// The same patterns without the global flag, for a test (a global regex's test() moves its lastIndex).
const HAS_URL = new RegExp(URL_RE.source, 'i');
const HAS_CONTACT_LABEL = new RegExp(CONTACT_LABEL.source, 'i');

/** A header line without its contact details and icon glyphs: what may be left is a name. */
function withoutContacts(line: string): string {
  const kept = line
    .replace(new RegExp(EMAIL, 'g'), ' ')
    .replace(new RegExp(PHONE, 'g'), ' ')
    .replace(URL_RE, ' ')
    // Contact labels beside the name ("Name: Jo Doe  Email: …  Mobile: …").
    .replace(CONTACT_LABEL, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 1 || /\p{Lu}/u.test(w))
    .join(' ')
    .trim();
  // A trailing lone capital is an icon glyph, unless it is the initial of a short name ("Kavitha K").
  let end = kept.length;
  while (end >= 2 && kept[end - 2] === ' ' && /\p{Lu}/u.test(kept[end - 1] ?? '')) end -= 2;
  const glyphless = kept.slice(0, end).trim();
  return glyphless.split(' ').length >= 2 ? glyphless : kept;
}

const DOCUMENT_TITLE = /^(curriculum vitae|resume|résumé|cv|bio-?data|personal profile|my resume)$/i;

/** `hinted` lines at the start come from the layout (the largest type), not from the reading order. */
function nameFrom(header: string[], hinted = 0): Field<string | null> {
  for (const [i, line] of header.slice(0, 6 + hinted).entries()) {
    const clean = withoutContacts(line.slice(0, 200));
    if (/\d/.test(clean) || clean.length > 60 || clean.includes(',')) continue;
    const words = clean.split(' ');
    // 2-5 words of letters (any script), each capitalised or the whole line in capitals.
    if (words.length < 2 || words.length > 5 || !words.every((w) => /^\p{L}[\p{L}'’.-]*$/u.test(w))) continue;
    const alone = clean === line.replace(/\s+/g, ' ').trim();
    const capitalised = words.every((w) => /^\p{Lu}/u.test(w) || !/\p{Ll}/u.test(w));
    // The first line alone is the name even when typed in lower case ("kimaya sonawane").
    if (!capitalised && !(i === 0 && alone && /^\p{Lu}/u.test(clean.replace(/^\p{Ll}/u, (c) => c.toUpperCase()))))
      continue;
    // A role or an employer ("Senior Engineer", "Infosys Limited") is not a name.
    // On the first line only a role's head noun at the end counts ("Senior Software Engineer", not "Ravi Lead Kumar").
    const role = i > 0 ? DESIGNATION.test(clean) : DESIGNATION.test(words.at(-1) ?? '') && words.length > 2;
    if (role || ORGANISATION.test(clean) || sectionOf(clean) || DOCUMENT_TITLE.test(clean)) continue;
    const confidence = i === 0 && alone ? (capitalised ? 0.95 : 0.8) : alone ? 0.85 : 0.7;
    return { value: toTitle(clean), confidence };
  }
  return { value: null, confidence: 0 };
}

/** "ANNA MÜLLER" and "anna müller" -> "Anna Müller"; names already in mixed case are kept as written. */
function toTitle(name: string): string {
  if (/\p{Ll}/u.test(name) && /\p{Lu}/u.test(name)) return name;
  return name.toLowerCase().replace(/(^|[\s'’-])(\p{L})/gu, (_, sep: string, c: string) => sep + c.toUpperCase());
}

function phoneFrom(text: string): Field<string | null> {
  for (const m of text.matchAll(new RegExp(PHONE, 'g'))) {
    let found = m[0].trim();
    // A postcode or street number just before a national number ("Springfield 62704 555-123-4567")
    // is not part of it: a national number has at most 12 digits.
    const lead = /^(\d{3,6})\s(.+)$/.exec(found);
    if (!found.startsWith('+') && lead?.[2] && found.replace(/\D/g, '').length > 12) {
      const rest = lead[2].replace(/\D/g, '');
      if (rest.length >= 8 && rest.length <= 12) found = lead[2];
    }
    const digits = found.replace(/\D/g, '');
    // Not a date range or a year list: phones have 8-15 digits.
    if (digits.length >= 8 && digits.length <= 15 && !RANGE.test(found)) {
      return { value: found.replace(/\s+/g, ' '), confidence: found.startsWith('+') ? 0.95 : 0.85 };
    }
  }
  return { value: null, confidence: 0 };
}

const PHONE_LABEL = /^(?:phone|mobile|mob|cell|tel|telephone|contact)\b.{0,20}[:：]/i;

/**
 * The phone in the header; else on a line labelled as one anywhere (a "Personal Details" section or
 * table at the end: "Mobile: +91 …"). Unlabelled numbers below the header may be anything.
 */
function phoneIn(header: string[], text: string): Field<string | null> {
  if (header.length === 0) return phoneFrom(text);
  const found = phoneFrom(header.join('\n'));
  if (found.value) return found;
  const labelled = text
    .split('\n')
    .filter((l) => PHONE_LABEL.test(l))
    .join('\n');
  return labelled ? phoneFrom(labelled) : found;
}

function locationFrom(header: string[]): Field<string | null> {
  for (const line of header.slice(0, 8)) {
    // A label before the place ("Address: Pune, India", a Word table's "Address | Pune, India") is not part of it.
    for (const part of line.split(/[|•·]/).map((p) => p.replace(CONTACT_LABEL, ' ').trim())) {
      const phoneLike = part.replace(/\D/g, '').length > 6;
      if (EMAIL.test(part) || phoneLike || /https?:|www\.|linkedin|github/i.test(part)) continue;
      // "City, Country" or "City, ST"
      if (part.length < 60 && /^\p{Lu}[\p{L} .'-]+,\s*\p{Lu}[\p{L} .'-]+$/u.test(part.trim())) {
        return { value: part.trim(), confidence: 0.7 };
      }
    }
  }
  return { value: null, confidence: 0 };
}

const ITEM_SEPARATOR = /[,;|•·\n]/;
const LIST_END = /[,;|•·]\s*$/;
/** A line's label before its list: "Databases: PostgreSQL", "Front end/GUI Tools programming: Flex". */
const SKILL_LABEL = /^[^:]{1,40}:\s*/;
const isKnownSkill = (item: string | undefined) => lookupSkill((item ?? '').trim()) !== null;
/** An item without what a CV adds in parentheses: "INTELLIGENCE (1 year)" -> "INTELLIGENCE", "Cics (4" -> "Cics". */
const withoutParentheses = (item: string) => item.replace(/\([^)]{0,200}\)?/g, ' ').trim();

/**
 * Whether a line continues the last item of the list before it: a list wrapped mid-item. A line with
 * its own label ("Databases: PostgreSQL, MongoDB") or bullet starts a list of its own, and so does a row
 * of a table of skills: the last item before the break and the first after it are skills of their own
 * ("Go | Python" over "Docker | Kubernetes"). A parenthesis left open ("Cics (4" / "years)") or a known
 * skill cut in two ("BUSINESS" / "INTELLIGENCE (1 year)", "Microsoft Visual" / "Studio") is a wrap even
 * in a list written one skill a line; a full stop ends an item.
 */
function wrapsOnto(text: string, line: string, labelled: boolean, listLike: boolean): boolean {
  if (labelled || BULLET.test(line) || LIST_END.test(text)) return false;
  const last = text.split(ITEM_SEPARATOR).at(-1) ?? '';
  const first = line.split(ITEM_SEPARATOR)[0] ?? '';
  if (/\([^)]{0,200}$/.test(last)) return true;
  if (isKnownSkill(`${withoutParentheses(last)} ${withoutParentheses(first)}`)) return true;
  if (isKnownSkill(last) && isKnownSkill(first)) return false;
  return listLike && !/\.\s*$/.test(text);
}

/** A link, or a job-board export's relocation line ("Willing to relocate to: Pune, Delhi"). */
const NOT_A_LIST = /https?:\/\/|\bwww\.|\.(?:com|net|org|in|io)\/|^willing to relocate/i;

/** A skills section's lines joined back where they wrapped mid-item; a link or an e-mail is no skill. */
function joinedList(lines: string[]): string {
  const kept = lines.filter((l) => !NOT_A_LIST.test(l) && !EMAIL.test(l));
  const listLike = kept.filter((l) => /[,;|•·]/.test(l)).length >= kept.length / 2;
  return kept.reduce((text, raw) => {
    const labelled = SKILL_LABEL.test(raw);
    const line = raw.replace(SKILL_LABEL, '').trim();
    if (!text) return line;
    return `${text}${wrapsOnto(text, line, labelled, listLike) ? ' ' : '\n'}${line}`;
  }, '');
}

const DATE_ONLY = new RegExp(`^(?:(?:${MONTHS})\\.?\\s{0,3})?\\d{4}$`, 'i');
/** Not a skill: a version or a year left alone by a list ("2008, 2012"), a date, a sub-heading ("Technical Expertise"). */
const notASkill = (item: string) =>
  !/\p{L}/u.test(item) ||
  DATE_ONLY.test(item) ||
  RANGE.test(item) ||
  (!isKnownSkill(item) && sectionByWords(item, true) !== null);

/** One item as a list writes it, without its bullet, a leading "and", "etc." or a closing full stop. */
function cleanItem(raw: string): string {
  const item = trimWhere(raw.replace(/\([^)]{0,200}\)/g, ''), (c) => /[\p{S}•●▪◦‣⁃∙*·–\-\s]/u.test(c), 'start')
    .replace(/(?:basics|fundamentals|databases)$/i, (word, at: number, all: string) =>
      /\s/.test(all[at - 1] ?? '') ? '' : word,
    )
    .trim()
    .replace(/^(and|or)\s+/i, '')
    .replace(/(?:\s|,)etc\.?$/i, '');
  return trimWhere(item, oneOf('. '), 'end');
}

// A slash inside a skill's name is part of it (PL/SQL, CI/CD, TCP/IP); between names it separates them.
const SLASHED = /[\p{L}\p{N}.+#-]{1,20}\/[\p{L}\p{N}.+#-]{1,20}/gu;
const guardSlashes = (text: string) => text.replace(SLASHED, (w) => (isKnownSkill(w) ? w.replace('/', '\u001e') : w));

/**
 * The items of a skills section. Lines that wrap mid-list are joined back; bullets and separators split
 * items; "Docker and Kubernetes" becomes two skills when both halves are known ones; a parenthesis
 * contributes the known skills inside it ("databases (MySQL, MongoDB)"). A sentence is an item too:
 * skillsOfItem reads it for the skills it names.
 */
export function skillItems(lines: string[]): string[] {
  const items: string[] = [];
  // Separators inside parentheses belong to the parenthesis: hide them from the split.
  const guarded = guardSlashes(joinedList(lines)).replace(/\([^)]{0,200}\)/g, (p) => p.replace(/[,;|]/g, '\u001f'));
  for (const part of guarded.split(/[,;|•·\n]|\s\/\s|(?<=[a-z0-9+#])\/(?=[a-z])/i)) {
    const raw = part.trim().replaceAll('\u001f', ',').replaceAll('\u001e', '/');
    const inner = /\(([^)]{0,200})\)/.exec(raw)?.[1];
    if (inner)
      items.push(
        ...inner
          .split(/[,;|]/)
          // "Microsoft Office (Word, Excel & PowerPoint)": the last two are joined by "&" or "and", unless
          // the taxonomy knows the whole ("Research and Development").
          .flatMap((s) => (isKnownSkill(s) ? [s] : s.split(/\s(?:&|and)\s/i)))
          .filter((s) => isKnownSkill(s))
          .map((s) => s.trim()),
      );
    const item = cleanItem(raw);
    const halves = item.replace(/\s+/g, ' ').split(/ (?:and|&) /i);
    if (halves.length > 1 && halves.every((h) => isKnownSkill(h))) items.push(...halves);
    else if (item && !notASkill(item)) items.push(item);
  }
  return items;
}

/**
 * An item the taxonomy knows whole; else the taxonomy's skills named inside it ("Core Java", "Oracle
 * PL/SQL", "Good communication skills"); else the item as written, a skill the taxonomy does not know.
 */
function skillsOfItem(item: string): string[] {
  if (lookupSkill(item)) return [item];
  const inside = skillsInText(item);
  // Longer than a skill's name, it is a sentence about skills ("Well versed with Microsoft Office"):
  // only the skills it names count.
  const nameLike = item.length <= 40 && item.split(' ').length <= 4;
  return inside.length > 0 || !nameLike ? inside : [item];
}

/** The taxonomy's skills among a list's items: what a list found outside a skills section gives. */
const knownSkillsIn = (lines: string[]) =>
  skillItems(lines)
    .flatMap(skillsOfItem)
    .filter((item) => lookupSkill(item));

/**
 * A label that names technologies before its list, inside a job, a project or a summary: "Environment:",
 * "Technologies used:", "Tools:", "Tech stack:", "Key skills:", "Software/Tools:". Only a label made of
 * these words counts, so "Responsibilities:" or "Client:" before prose is not read as a list.
 */
const TECH_LABEL =
  /^(?:(?:key|core|technical|it|skills?|technolog(?:y|ies)|tech|stack|tools?|software|environment|platforms?|frameworks?|databases?|programming|computing|languages?|operating|systems?|used|and|&|\/|\s){1,60}?):\s*/i;
const BARE_LABEL =
  /^(?:operating systems?|databases?|programming languages?|scripting languages?|configuration management|version control(?: systems?)?|web technologies|tools used) (?=[\p{L}\p{N}])/iu;
const TECH_WORD =
  /technolog|tools?\b|environment|tech stack|skills|software|platform|framework|database|languages|operating/i;

/**
 * The taxonomy's skills on labelled technology lines outside the skills lists ("Environment: Java,
 * Spring, Oracle" under a job). A label alone on its line has its list on the next. Jobs stay as parsed:
 * the lines are read where they stand.
 */
function labelledSkills(sections: Record<string, string[]>): string[] {
  const found: string[] = [];
  for (const [name, lines] of Object.entries(sections)) {
    if (SKILL_LISTS.has(name)) continue;
    for (const [i, raw] of lines.entries()) {
      const line = trimWhere(raw, (c) => /[\p{S}•●▪◦‣⁃∙*·\-\s]/u.test(c), 'start');
      const label = TECH_LABEL.exec(line);
      if (!label || !TECH_WORD.test(label[0])) {
        // A label without its colon, before a short list ("Operating Systems Windows, Linux"); in lower
        // case it is a sentence's wrapped line ("databases of the store …").
        const bare = /^\p{Lu}/u.test(line) ? BARE_LABEL.exec(line) : null;
        const list = bare ? line.slice(bare[0].length) : '';
        if (list && !/[.;:]$/.test(list) && list.split(/\s+/).length <= 12) found.push(...knownSkillsIn([list]));
        continue;
      }
      const rest = line.slice(label[0].length) || (lines[i + 1] ?? '');
      found.push(...knownSkillsIn([rest]));
    }
  }
  return found;
}

/**
 * A signature block ("Date:", "Place:", "Signature", "Yours faithfully") closes a CV: a skills list at the
 * end of one stops there, and the signer's name under it is no skill either (skillsFrom).
 */
const SIGNATURE = /^(?:date|place|signature|yours (?:faithfully|sincerely|truly))\b\s*(?:[:\-–.]|$)/i;
/** Lower case, with anything but letters and digits as single spaces: two spellings of one name compare equal. */
const plainWords = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
const beforeSignature = (lines: string[]) => {
  const end = lines.findIndex((l) => SIGNATURE.test(l.trim()));
  return end < 0 ? lines : lines.slice(0, end);
};

/**
 * Skills from the skills section, then those on labelled technology lines elsewhere (labelledSkills); a
 * CV without a skills section gets the taxonomy's skills named in its work history ("Built the settlement
 * service in Node.js and PostgreSQL"), at a lower confidence. Employers' names are left out of that
 * reading: "Chai Payments" is not the skill Payments.
 */
function skillsFrom(sections: Record<string, string[]>, jobs: Job[], name: string | null): Field<string[]> {
  const more = knownSkillsIn(sections[MORE_SKILLS] ?? []);
  const labelled = labelledSkills(sections);
  const signer = name && plainWords(name);
  const items = skillItems(beforeSignature(sections.skills ?? [])).filter((item) => plainWords(item) !== signer);
  const listed = normalizeSkills([...items.flatMap(skillsOfItem), ...more]);
  if (listed.length > 0 || sections.skills) {
    const skills = normalizeSkills([...listed, ...labelled]);
    return { value: skills, confidence: skills.length > 0 ? 0.85 : 0 };
  }
  const used = jobs.flatMap((j) => {
    let text = j.description.slice(0, 20_000);
    if (j.company) text = text.split(j.company).join(' ');
    return skillsInText(text);
  });
  const skills = normalizeSkills([...used, ...labelled]);
  return { value: skills, confidence: skills.length > 0 ? 0.6 : 0 };
}

export function datesIn(line: string): { start: string; end: string } | null {
  const m = RANGE.exec(line);
  return m ? { start: (m[1] as string).trim(), end: (m[2] as string).trim() } : null;
}

const OPEN_START = new RegExp(`^(${DATE})\\s{0,3}(?:-|–|—|to)\\s{1,3}(\\S.*)$`, 'i');
const LEADING_END = new RegExp(`^(${DATE}|present|current|now|today)\\b(.*)$`, 'i');

/**
 * "2017 – Product Manager, Google" over "Present Leading the team…": a layout that sets dates in a
 * margin column splits the range across two lines. Put the range back on the role's line.
 */
function joinSplitRanges(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const open = RANGE.test(line) ? null : OPEN_START.exec(line);
    const end = open ? LEADING_END.exec(lines[i + 1] ?? '') : null;
    if (open && end) {
      out.push(`${open[2]} ${open[1]} - ${end[1]}`);
      if (end[2]?.trim()) out.push(end[2].trim());
      i++;
    } else out.push(line);
  }
  return out;
}

// ---- Work history --------------------------------------------------------------------------------

/** Words that name a role ("Senior Software Engineer", "Team Lead", "Registered Nurse"). */
const DESIGNATION =
  /\b(engineer|engineering lead|developer|programmer|analyst|manager|management trainee|consultant|lead|leader|intern|internship|trainee|apprentice|architect|administrator|admin|executive|officer|associate|specialist|director|head|president|vp|chief|cto|ceo|cfo|coo|designer|tester|scientist|researcher|coordinator|co-ordinator|supervisor|assistant|representative|advisor|adviser|accountant|auditor|technician|member|agent|founder|co-founder|owner|partner|sde|sdet|qa|devops|teacher|lecturer|professor|tutor|instructor|nurse|doctor|physician|pharmacist|electrician|mechanic|operator|clerk|cashier|generalist|recruiter|writer|editor|strategist|expert|sme|fellow|volunteer|secretary|receptionist|controller|planner|buyer|merchandiser|salesman|sales|marketing|driver|chef|cook|attendant|coach|trainer|therapist|counsellor|counselor|surveyor|inspector|foreman|superintendent|principal|staff|professional|incharge|in-charge|hod|freelancer|freelance)s?\b/i;

/** Words and suffixes that name an organisation ("Infosys Ltd", "Juniper Bank", "Cloud Lending Solutions"). */
const ORGANISATION =
  /\b(ltd|limited|pvt|private|inc|incorporated|corp|corporation|llc|llp|plc|gmbh|ag|sa|bv|co|company|companies|technologies|technology|tech|solutions|systems|services|software|softwares|consulting|consultancy|consultants|labs|laboratories|bank|banking|group|industries|enterprises?|infotech|infosystems|infoway|international|global|networks|communications|telecom|motors|pharma|pharmaceuticals|healthcare|hospitals?|clinic|foundation|trust|agency|studios?|media|partners|holdings|ventures|capital|finance|financial|insurance|securities|logistics|airlines|airways|retail|foods|energy|power|steels?|electronics|electricals|automation|analytics|digital|interactive|university|college|institute|school|academy|council|ministry|government|govt|department|authority|corporate|exports|traders|industry|manufacturing|constructions?|builders|infra|infrastructure|projects|e-?commerce|payments|robotics|health|security)\b\.?/i;

/** Employers big enough to appear without a suffix. */
const KNOWN_EMPLOYERS =
  /^(oracle|infosys|wipro|tcs|tata consultancy services|accenture|ibm|microsoft|google|amazon|cognizant|capgemini|hcl|deloitte|sap|cisco|intel|dell|hp|hewlett[- ]packard|apple|facebook|meta|flipkart|ericsson|nokia|siemens|samsung|kpmg|ey|pwc|ernst & young|mindtree|mphasis|genpact|tech mahindra|l&t|larsen & toubro|reliance|vodafone|airtel|jpmorgan|jp morgan|goldman sachs|morgan stanley|citi|citibank|hsbc|barclays|deutsche bank|walmart|adobe|salesforce|vmware|netflix|uber|paypal|ebay|linkedin|twitter|yahoo|qualcomm|nvidia|bosch|philips|honeywell|ge|general electric|unilever|nestle|infosys bpo|syntel|igate|hexaware|zensar|cgi|atos|dxc|ntt data|fujitsu|hitachi|sony|lg|byju's|paytm|ola|swiggy|zomato)$/i;

/** "City, State", or "City, State, Country" as a job board writes it ("Pune, Maharashtra, IN"). */
const LOCATION_PART = /^\p{Lu}[\p{L}.' ]{1,30},\s*\p{Lu}[\p{L}.' ]{1,30}(?:,\s*\p{Lu}[\p{L}.' ]{1,30})?$/u;
const REMOTE =
  /^(remote|onsite|on-site|hybrid|work from home|wfh|full[- ]time|part[- ]time|contract|internship|freelance|permanent|temporary)$/i;

/** Cities that stand alone on a line of a job ("Bangalore", "London"): where, not who. */
const CITIES =
  /^(?:bangalore|bengaluru|mumbai|bombay|delhi|new delhi|noida|gurgaon|gurugram|hyderabad|secunderabad|chennai|madras|kolkata|calcutta|pune|ahmedabad|jaipur|lucknow|chandigarh|kochi|cochin|trivandrum|thiruvananthapuram|coimbatore|mysore|mysuru|mangalore|indore|bhopal|nagpur|nashik|thane|navi mumbai|vadodara|surat|visakhapatnam|vijayawada|bhubaneswar|patna|guwahati|london|manchester|birmingham|edinburgh|dublin|paris|berlin|munich|amsterdam|madrid|barcelona|rome|milan|zurich|geneva|vienna|stockholm|copenhagen|oslo|helsinki|warsaw|prague|new york|san francisco|seattle|boston|chicago|austin|los angeles|toronto|vancouver|montreal|sydney|melbourne|singapore|dubai|abu dhabi|doha|riyadh|tokyo|shanghai|beijing|hong kong|karachi|lahore|dhaka|colombo|kathmandu|nairobi|lagos|johannesburg|cape town|cairo|sao paulo|mexico city)(?:\s?\(\p{L}{1,20}\))?$/iu;

type Kind = 'title' | 'company' | 'location' | 'other';

function kindOf(part: string): Kind {
  // A role or an employer is short; the bound also keeps the patterns below cheap on any input.
  const p = part.trim().slice(0, 200);
  if (!p) return 'other';
  const legalName = /,\s(?:inc|ltd|llc|llp|plc|gmbh|corp)\b\.?$/i.test(p); // "ABC Company, Inc."
  if ((LOCATION_PART.test(p) && !legalName) || REMOTE.test(p) || CITIES.test(p)) return 'location';
  const org = ORGANISATION.test(p) || KNOWN_EMPLOYERS.test(p);
  const role = DESIGNATION.test(p);
  // An employer's name is written with a capital ("Infosys", "3M"): "supplier data management" or
  // "company requirement" is a phrase from a sentence.
  if (org && !role) return /^[\p{Lu}\p{N}]/u.test(p) ? 'company' : 'other';
  if (role && !org) return 'title';
  if (role && org) {
    // "Software Engineer, Systems" vs "Accenture Technology Solutions": the last word decides.
    // eslint-disable-next-line regexp/no-super-linear-move -- p is at most 200 characters (above)
    const core = p.replace(/\s*\([^)]{0,40}\)\s*$|\s+(?:[ivx]{1,4}|\d|sr\.?|jr\.?|senior|junior)$/i, '');
    const last = core.split(/\s+/).at(-1) ?? '';
    return DESIGNATION.test(last) ? 'title' : 'company';
  }
  return 'other';
}

/**
 * A bullet: any symbol glyph (•, ➢, ♣, ♦, ■…: CVs use dozens), an "o" or a dash before a space (glyphs
 * lost in conversion), a numbered or lettered point ("3.", "a)", "A. ").
 */
const BULLET = /^(?:[\p{S}•●▪◦‣⁃∙*·]|[o-]\s|\d{1,2}[.)]\s|\p{L}[.)]\s)/u;
/** Glyphs only: in education "B. Tech" is a degree, not a lettered point. */
const GLYPH = /^(?:[\p{S}•●▪◦‣⁃∙*·]|[o-]\s)/u;

/** A line that can name a role or an employer: short, not a sentence, not a bullet, not a label. */
function headingLike(line: string): boolean {
  const t = line.trim();
  if (t.length < 2 || t.length > 90) return false;
  if (BULLET.test(t)) return false;
  // The rest of a sentence ("in Delta Records Pvt. Ltd, Pune (a subsidiary of…").
  if (/^(?:in|at|of|and|or|for|with|to|from|the|on|by|as)\s/.test(t)) return false;
  if (/[.;]$/.test(t) && !/\b(ltd|inc|co|corp|pvt)\.$/i.test(t)) return false;
  // A sentence led by a verb ("Owned delivery at Harbor Freight Co."), whatever it ends with.
  if (VERB_LED.test(t)) return false;
  if (
    /^[^:]{1,40}:\s*\S/.test(t) &&
    !/^(designation|company|employer|organi[sz]ation|title|position|role)\s*:/i.test(t)
  )
    return false;
  return t.split(/\s+/).length <= 12;
}

// Only applied by fragments(), to a line cut to 200 characters. "Process Associate@ Infosys" and
// "HR Executive- Solitaire Infosys" are typed without one of the spaces.
// eslint-disable-next-line regexp/no-super-linear-move -- input bounded (see fragments)
const SEPARATORS = /\s+(?:-|–|—|\|)\s+|\s*[|–—]\s*|\s+-$|^-\s+|,\s+|\s+(?:at|@)\s+|\s?@\s/i;

/** The fragments of a line: "Systems Engineer - Infosys Ltd - Pune, Maharashtra -" gives three. */
function fragments(line: string): string[] {
  // A role or an employer line is short: the rest of a long line is a sentence (and bounded work).
  const text = line
    .slice(0, 200)
    .replace(BULLET, '')
    .replace(RANGE, ' ')
    // eslint-disable-next-line regexp/no-super-linear-backtracking, regexp/no-super-linear-move -- at most 200 characters (above)
    .replace(/\(\s*[^)]*\b\d{4}\b[^)]*\)/g, ' ')
    .replace(/\(\s*\)/g, ' ')
    .replace(/^\s*(?:worked|working|work|employed|serving|served)\s+(?:as|with)\s+(?:an?\s+)?/i, '')
    .replace(/^(designation|company|employer|organi[sz]ation|title|position|role)\s*:\s*/i, '')
    .replace(/\s(?:for|since|from|during|till|until)\s.*$|\.$/i, '')
    .replace(/["“”]/g, ' ')
    .replace(/(?<=\p{Ll})-\s+(?=\p{Lu})/gu, ' - ')
    .replace(/\s+/g, ' ')
    .trim()
    // "Test Engineer (Infosys Ltd)": an employer in parentheses is a fragment of its own.
    .replace(/\(([^()]{2,60})(?:\)|$)/g, (m, inner: string) => (kindOf(inner) === 'company' ? ` | ${inner} | ` : m));
  // Keep "City, State" together: it is one location, not two fragments. So is "City, State, Country"
  // between a job board's dashes ("Acme - Pune, Maharashtra, IN -"); without them, "OpenAI, San
  // Francisco, CA" is an employer and its place.
  const located = text
    .replace(
      /(-\s\p{Lu}[\p{L}.' ]{1,30}),\s(\p{Lu}[\p{L}.' ]{1,30}),\s(\p{Lu}[\p{L}.]{1,30})\s?-?$/u,
      '$1\u001e $2\u001e $3 -',
    )
    .replace(
      // eslint-disable-next-line regexp/no-super-linear-move -- text is at most 200 characters (above)
      /(\p{Lu}[\p{L}.']+(?: \p{Lu}[\p{L}.']+)?),\s+(\p{Lu}[\p{L}.']+(?: \p{Lu}[\p{L}.']+)?)\s*(?:-|$)/gu,
      (m, a: string, b: string) =>
        DESIGNATION.test(`${a} ${b}`) || ORGANISATION.test(`${a} ${b}`) || KNOWN_EMPLOYERS.test(a)
          ? m
          : ` - ${a}\u001e ${b} - `,
    );
  return (
    located
      // "ABC Company, Inc.": a legal suffix after a comma is part of the name.
      .replace(/,\s(inc|ltd|llc|llp|plc|gmbh|corp)\b/gi, '\u001e $1')
      .split(SEPARATORS)
      .map((p) => p.replaceAll('\u001e', ','))
      .map((p) => trimWhere(p, (c) => /[\s,|–—-]/.test(c)))
      // "Duration:", "Key Responsibilities:": a label heads a value, it names nothing.
      .filter((p) => p && /\p{L}/u.test(p) && !p.endsWith(':'))
  );
}

/** Words that head project details, grades and periods: never a role or an employer. */
const NOT_A_NAME =
  /^(duration|period|project|projects|client|role|roles|responsibilities|environment|team size|description|location|advanced|average|basic|intermediate|present|current|till date|to date|delivery|description|key responsibilities|responsibilities|responsible|resume|company name|company|development|operations|service|services|recruitment|summary|achievements|technologies|tools|us|job profile|growth path|(?:inc|ltd|llc|pvt|co)\.?|(?:presently|currently|involved|handled|handling)\b.*|(?:from|since|till|until|during)\b.*|\d.*|.*\b(months?|years?|cgpa|gpa|percentage|marks)\b.*)$/i;
/** A sentence led by a verb ("Performed team lead role", "Achieved a record"); not "Registered Nurse". */
const VERB_LED = /^(?![RrLlCc](?:egistered|icensed|ertified|hartered) )\p{Lu}?\p{Ll}{2,20}ed (?:\p{Ll}|an? |the )/u;

const IN_AS =
  /^(?!(?:worked|working|employed|serving|served|work)\s+as\b)(?:(?:worked|working|employed|work)\s+(?:in|at|with|for)\s+)?(\p{Lu}[^;]{1,60}?)\s+as\s+(?:an?\s+)?([^,;]{2,60})$/iu;

/**
 * Could be a name: at most eight words, ending in a letter, digit or bracket, and not a phrase from a
 * description, which joins words in lower case with articles and prepositions ("Backup the data",
 * "handled escalations with the client"). Employers typed in lower case ("oracle") still count.
 */
function nameShaped(text: string): boolean {
  const words = text.trim().split(/\s+/);
  if (words.length > 8 || !/[\p{L}\p{N})]\.?$/u.test(text.trim())) return false;
  const glue = words.some((w) => /^(?:the|a|an|to|with|on|from|into|by|using|our|their|all|various)$/.test(w));
  const lowerContent = words.some(
    (w) => w.length >= 3 && /^\p{Ll}/u.test(w) && !/^(?:and|for|the|of|de|von|van|und)$/.test(w),
  );
  return !(glue && lowerContent);
}

/**
 * A job-board employer line ends in a dash ("Infosys Limited - Pune, Maharashtra -"). A description line
 * that happens to end in one is not: a label ("Roles and responsibilities: -"), a sentence, a phrase.
 */
function employerDash(line: string): boolean {
  if (!/\s-\s*$/.test(line)) return false;
  const name = line.replace(/\s-\s*$/, '').split(/\s[-–—|]\s/)[0] ?? '';
  // A name may end in an abbreviation's full stop ("Infosys Ltd."), a sentence may not.
  if (/[:,;]$/.test(name) || (name.endsWith('.') && name.split(' ').length > 5)) return false;
  return !VERB_LED.test(name) && (nameShaped(name) || ORGANISATION.test(name) || KNOWN_EMPLOYERS.test(name.trim()));
}

const SERVICE = String.raw`\d{1,2}(?:\.\d{1,2})?\s?\+?\s?(?:years?|yrs?|months?)`;
const LEADING_NUMBER = new RegExp(String.raw`^(?:\d{1,2}\s+(?=\p{L})|${SERVICE}\s*)`, 'iu');
const TRAILING_SERVICE = new RegExp(String.raw`\s${SERVICE}$`, 'i');

/** A role line's fragments once a list number or a length of service around it is gone. */
function typedRole(line: string): string[] {
  const bare = line.slice(0, 200).replace(LEADING_NUMBER, '').replace(TRAILING_SERVICE, '');
  return fragments(bare).filter((f) => !NOT_A_NAME.test(f) && !VERB_LED.test(f));
}

type Named = { title: string | null; company: string | null };
const WORKED = /^(?:worked|working|employed|served|serving)\s+(?:as|with|in|at|for)\b/i;

/** Title and company from the lines that head one job (at most three, in reading order). */
function namesFrom(lines: string[]): Named {
  const head = lines.map((l) => l.replace(BULLET, '').trim());
  // "Worked in Infosys as Process Associate", "Infosys as a Developer": the employer first, then the role.
  // Over or under a line naming the employer in full ("Infosys Ltd - Pune -"), that line's name wins.
  for (const line of head) {
    const inAs = IN_AS.exec(line.slice(0, 200));
    if (!inAs?.[1] || !inAs[2] || !DESIGNATION.test(inAs[2])) continue;
    const company = fragments(inAs[1])[0] ?? null;
    const title = fragments(inAs[2])[0] ?? null;
    if (!company || !title || kindOf(company) === 'title') continue;
    const others = head.length > 1 ? namesFrom(head.filter((l) => l !== line)).company : null;
    return { title, company: others ?? company };
  }
  // "Senior Engineer in Infosys Limited", "Analyst with Axis Bank Ltd": a role, then its employer.
  for (const line of head) {
    const inOrg = / (?:in|with|for) /i.exec(line.slice(0, 200));
    if (!inOrg) continue;
    const role = fragments(line.slice(0, inOrg.index))[0] ?? '';
    const org = fragments(line.slice(inOrg.index + inOrg[0].length))[0] ?? '';
    if (role.split(' ').length <= 6 && kindOf(role) === 'title' && kindOf(org) === 'company') {
      const others = namesFrom(head.filter((l) => l !== line));
      return { title: role, company: others.company && head.length > 1 ? others.company : org };
    }
  }
  const parts = head.map((line) => {
    const hasAt = /\s(?:at|@)\s|@\s/i.test(line);
    const worked = /^(?:worked|working|work|employed|serving|served)\s+(?:as|with)\b/i.test(line);
    // Labels, periods and sentences ("Performed team lead role") name neither a role nor an employer.
    const frags = fragments(line).filter((f) => !NOT_A_NAME.test(f) && !VERB_LED.test(f));
    return { frags, hasAt, worked, dash: employerDash(line) };
  });
  // Job boards export a role line over "Employer - City, State -" (or "Employer -"): the line with the
  // trailing dash names the employer whatever its words ("Software" over "Microsoft -"); of a client and
  // the employer ("Deutsche Bank - Infosys BPO Ltd - Pune -") the employer comes last.
  const [upper, lower] = parts;
  // Without its dates the export drops the last dash: "Employer - City, State" still names the employer.
  const placed =
    lower?.frags.length === 2 && kindOf(lower.frags[1] as string) === 'location' && !/\s-\s*$/.test(head[0] ?? '');
  const employer =
    (lower?.dash || placed) && !upper?.dash && head.length === 2
      ? (lower.frags.findLast((f) => kindOf(f) === 'company') ?? lower.frags[0])
      : undefined;
  // The role line as typed into the export's field: a list number or a length of service before it
  // ("3 Security Guard", "10years Store Keeper") or after it ("Store Keeper 1 year") is not the role.
  const typed = upper && upper.frags.length === 0 ? typedRole(head[0] ?? '') : [];
  const role = upper?.frags.find((f) => kindOf(f) === 'title') ?? upper?.frags[0] ?? typed[0];
  if (
    employer &&
    role &&
    !['title', 'location'].includes(kindOf(employer)) &&
    kindOf(role) !== 'location' &&
    (lower?.dash || nameShaped(role))
  ) {
    // Unless the upper line is the employer and the lower one the role ("Infosys" over "Linux Admin -"); a
    // numbered line is the entry's first, its role ("3 Security Services Guard" over "Acme -").
    if (typed.length > 0 || kindOf(role) !== 'company' || kindOf(employer) === 'company')
      return { title: role, company: employer };
  }
  let title: string | null = null;
  let company: string | null = null;
  const unknown: Array<{ f: string; dash: boolean }> = [];
  for (const { frags, hasAt, worked, dash } of parts) {
    if ((hasAt || worked) && frags.length >= 2) {
      // "Title at Company", "Worked as Title with Company": the order is the grammar's, whatever the words.
      title ??= frags[0] ?? null;
      company ??= frags[1] ?? null;
      continue;
    }
    let seenCompany = false;
    const orgs: string[] = [];
    for (const [n, f] of frags.entries()) {
      const kind = kindOf(f);
      if (kind === 'title' && !title) title = f;
      else if (kind === 'company' && !company) company = f;
      else if (kind === 'company' && !title && orgs.length === 1 && company === orgs[0]) {
        // "Ingeniero de Software, Café Systems": two employer-like names on a line read "Title, Company".
        title = company;
        company = f;
      }
      // After the employer on its line comes where it is ("Oracle - Redmond"), not another name.
      // A name is written with a capital: "mainframe" is a word from a sentence.
      else if (kind === 'other' && !seenCompany && /^[\p{Lu}\p{N}]/u.test(f))
        unknown.push({ f, dash: dash && n === 0 });
      if (kind === 'company') {
        seenCompany = true;
        orgs.push(f);
      }
    }
  }
  // What the cues did not decide. A lone name over a trailing dash ("Convergys -") is an employer as
  // job boards export it; otherwise the first unknown fills the missing title, the next the company.
  for (const { f, dash } of unknown) {
    if (!company && (title || dash)) company = f;
    else if (!title && !dash) title = f;
  }
  return { title, company };
}

function isAnchor(line: string): boolean {
  return RANGE.test(line) || SINCE.test(line);
}
const SINCE = new RegExp(`^(?:since|from)\\s+(${DATE})\\b|^(${DATE})\\s*(?:-|–|—|to|till|until)\\s*$`, 'i');

function datesOf(line: string): { start: string | null; end: string | null } {
  const range = datesIn(line);
  if (range) return range;
  const since = SINCE.exec(line);
  return { start: (since?.[1] ?? since?.[2] ?? null)?.trim() ?? null, end: since?.[1] ? 'present' : null };
}

/**
 * A job whose dates share a line with one of its names ("Northwind Labs   2019 – 2021", in bold) may
 * put the other name on the next line ("Backend Engineer"): taken when its cues say it is the missing
 * field, or, under a bold or larger line, when it reads as a name.
 */
function nameBelow(job: Job, line: string, next: string | undefined, styles: Styles): Partial<Job> | null {
  if ((job.title && job.company) || next === undefined || !headingLike(next) || isAnchor(next)) return null;
  const frags = fragments(next).filter((f) => !NOT_A_NAME.test(f) && !VERB_LED.test(f));
  if (frags.length === 0 || frags.length > 2) return null;
  const [first] = frags as [string];
  const kind = kindOf(first);
  const laidOut = emphasised(styles, line) && !emphasised(styles, next);
  if (!job.title && (kind === 'title' || (laidOut && kind === 'other' && job.company && nameShaped(first))))
    return { title: first };
  if (!job.company && (kind === 'company' || (laidOut && kind === 'other' && job.title && nameShaped(first))))
    return { company: first };
  return null;
}

function experienceFrom(raw: string[], styles: Styles = new Map()): Job[] {
  const jobs: Job[] = [];
  // A line of punctuation alone ("-" where an export had no employer) separates nothing.
  const lines = joinSplitRanges(raw.filter((l) => /[\p{L}\p{N}]/u.test(l)));
  const used = new Set<number>();
  let lastAnchor = -1;
  const anchors: number[] = [];
  for (const [i, line] of lines.entries()) if (isAnchor(line)) anchors.push(i);
  const owner = new Map<number, Job>();
  for (const i of anchors) {
    const line = lines[i] as string;
    const head: string[] = [];
    // The date's line names the job itself when, without its dates, it reads as a heading or as
    // "Worked with X as Y": the tail of a sentence that merely mentions dates names nothing.
    const rest = line.replace(BULLET, '').replace(RANGE, ' ').trim();
    const own = fragments(line).length > 0 && rest.length > 2 && (headingLike(rest) || WORKED.test(rest));
    // A sentence that mentions dates ("… from Dec 2004 - Jan 2006. Client: …") is no job's heading.
    if (!own && rest.endsWith('.') && /[\p{L}\p{N}]{3}/u.test(rest)) continue;
    // Up to two heading-like lines just above the dates (the role and the employer, in either order).
    for (let k = i - 1; k > lastAnchor && k >= i - 3 && head.length < (own ? 1 : 2); k--) {
      const above = lines[k] as string;
      // A label alone ("Duration:") between the names and their dates heads nothing.
      if (/^[^:]{1,40}:(?:\s-)?$/.test(above)) continue;
      // Nor does a phrase in an export's employer slot ("handled the escalations -"): the role above still does.
      if (/\s-$/.test(above) && !employerDash(above) && k === i - 1) continue;
      if (!headingLike(above) || used.has(k)) break;
      if (own && !/[-|–—,]\s*$/.test(above) && head.length === 0) {
        // A role line of its own above "Company  2019 - 2021": take it only when cues say so.
        const kinds = fragments(above).map(kindOf);
        if (!kinds.some((kd) => kd === 'title' || kd === 'company')) break;
      }
      head.unshift(above);
      used.add(k);
      // "Project Manager | Lumen Robotics" over its dates names the whole job by its cues: the line above
      // it is the job before's (its "Delivery at Harbor Freight Co." would take the employer).
      if (!own && head.length === 1) {
        const kinds = fragments(above).map(kindOf);
        if (kinds.includes('title') && kinds.includes('company')) break;
      }
    }
    if (own) head.push(line);
    used.add(i);
    const names = namesFrom(head);
    const job: Job = { ...names, ...datesOf(line), description: '' };
    if (!job.title && !job.company) continue;
    const below = own && head.length === 1 ? nameBelow(job, line, lines[i + 1], styles) : null;
    if (below) {
      Object.assign(job, below);
      used.add(i + 1);
    }
    jobs.push(job);
    owner.set(i, job);
    lastAnchor = i;
  }
  // Jobs without dates: a role line over its employer (or the employer over the role) that opens the
  // section or follows the end of a paragraph, and "Worked as X at Y" / "Title at Company" lines.
  for (const [i, line] of lines.entries()) {
    if (used.has(i)) continue;
    const next = lines[i + 1];
    // A bold or larger line over a plain one opens an entry wherever it stands.
    const laidOut = next !== undefined && emphasised(styles, line) && !emphasised(styles, next);
    const opens = i === 0 || !headingLike(lines[i - 1] as string) || used.has(i - 1) || laidOut;
    if (next !== undefined && headingLike(line) && !used.has(i + 1) && opens && headingLike(next) && !isAnchor(next)) {
      const a = fragments(line).map(kindOf);
      const b = fragments(next);
      const bKind = b[0] ? kindOf(b[0]) : 'other';
      // A job-board export without dates: any role line over "Employer - City, State".
      const employerAndPlace =
        b.length === 2 && kindOf(b[1] as string) === 'location' && /^[\p{Lu}\p{N}]/u.test(b[0] ?? '');
      const pairs =
        (a.length === 1 &&
          a[0] === 'title' &&
          (bKind === 'company' ||
            (bKind === 'other' && !NOT_A_NAME.test(b[0] ?? '') && (b[0] === undefined || nameShaped(b[0]))))) ||
        (a.length === 1 && a[0] === 'company' && bKind === 'title') ||
        (a.length === 1 && a[0] !== 'location' && bKind !== 'title' && employerAndPlace) ||
        // "Northwind" in bold over "Backend Engineer": the layout says which line opens the entry.
        (laidOut &&
          a.length === 1 &&
          a[0] === 'other' &&
          nameShaped(fragments(line)[0] ?? '') &&
          !NOT_A_NAME.test(fragments(line)[0] ?? '') &&
          bKind === 'title');
      if (pairs) {
        const job: Job = { ...namesFrom([line, next]), start: null, end: null, description: '' };
        jobs.push(job);
        owner.set(i, job);
        used.add(i).add(i + 1);
        continue;
      }
    }
    if (
      // The employer after "at" has a capital: with the i flag \p{Lu} would match any letter, and
      // "the technician reports the consumption at the exit" became a job.
      !(WORKED.test(line) || /^\S.{1,50}\s(?:at|@)\s\p{Lu}/u.test(line)) ||
      // "Highlights at Acme:" heads a list; it names no role.
      line.trimEnd().endsWith(':')
    )
      continue;
    const names = namesFrom([line]);
    if (names.title && names.company && DESIGNATION.test(names.title)) {
      const job: Job = { ...names, start: null, end: null, description: '' };
      jobs.push(job);
      owner.set(i, job);
      used.add(i);
    }
  }
  // Bullets and sentences belong to the job above them.
  let current: Job | undefined;
  for (const [i, line] of lines.entries()) {
    current = owner.get(i) ?? current;
    if (!used.has(i) && current) current.description = `${current.description}\n${line}`.trim();
  }
  return [...owner.entries()].sort((a, b) => a[0] - b[0]).map(([, job]) => job);
}

const same = (a: string | null, b: string | null) => {
  const [x, y] = [plainWords(a ?? ''), plainWords(b ?? '')];
  return x === y || (x.length > 2 && y.length > 2 && (x.includes(y) || y.includes(x)));
};

/**
 * A headline under the name ("Systems Engineer - Infosys Ltd", "Data Analyst at Acme") states the
 * current role: kept as a job (without dates) when the work history does not already hold it.
 */
function withHeadline(jobs: Job[], header: string[]): Job[] {
  const line = header.slice(1, 3).find((l) => /\s(?:-|–|—|\||at|@)\s/.test(l) && !/\d{3}|@\S/.test(l));
  if (!line || line.length > 100) return jobs;
  const { title, company } = namesFrom([line]);
  if (!title || !company || !DESIGNATION.test(title) || kindOf(company) === 'location') return jobs;
  // "Data Analyst | Python | SQL": what follows the role is a list of skills (the headline's), not an employer.
  if (kindOf(company) !== 'company' && isKnownSkill(company)) return jobs;
  if (jobs.some((j) => same(j.company, company) && (same(j.title, title) || !j.title))) return jobs;
  if (jobs.some((j) => same(j.title, title) && !j.company)) return jobs;
  return [{ title, company, start: null, end: null, description: '' }, ...jobs];
}

/** A line that opens a sentence, not a role: "Looking for…", "I have…", "Having 3 years…", "To work…". */
const SENTENCE_LED =
  /^(?:i|i'm|i am|i've|my|me|we|our|to|a|an|the|looking|seeking|actively|currently|presently|working|worked|having|have|has|am|is|are|aspiring to|passionate|dedicated|motivated|hard[- ]?working)\b/i;
/** Words of a sentence about a career rather than a role's name. */
const SENTENCE_WORDS =
  /\b(?:looking|seeking|years?|yrs?|months?|experience|opportunit(?:y|ies)|objective|career|willing)\b/i;
/** A legal suffix: the line names an employer ("Acme Staffing Ltd"), whatever its other words. */
const LEGAL_SUFFIX = /\b(?:ltd|limited|pvt|inc|incorporated|corp|corporation|llc|llp|plc|gmbh)\b/i;
/** How a summary praises its candidate ("Results-driven professional"): a sentence's words, not a role's. */
const SELF_PRAISE =
  /\b(?:[\p{L}]{2,20}-(?:driven|oriented|focused|motivated|minded)|passionate|dynamic|enthusiastic|motivated|dedicated|hard-?working|self-starter|detail-oriented)\b/iu;
/** A headline may state a status or a support role rather than a job title ("Computer Science Student", "IT Support"). */
const STATUS = /^(?:student|graduate|fresher|support)$/i;

/**
 * Reads as a role's name: a few words whose head noun names a role ("Senior Software Engineer", "Head of
 * Operations", "L1 Analyst in Network Support", "Developer (Java)"), not an employer, a place or a phrase.
 */
function roleShaped(text: string): boolean {
  const t = text.trim();
  const words = t.split(/\s+/);
  if (t.length < 2 || t.length > 80 || words.length > 8 || !nameShaped(t)) return false;
  if (NOT_A_NAME.test(t) || VERB_LED.test(t) || LEGAL_SUFFIX.test(t) || KNOWN_EMPLOYERS.test(t) || SELF_PRAISE.test(t))
    return false;
  if (kindOf(t) === 'location') return false;
  // The head noun ends the role's own words: before a complement ("of Operations", "in Microsoft
  // project"), a bracket, a level ("II", "2", "Sr.").
  const core = t
    .replace(/\s(?:of|in|for|at|on)\s.*$/i, '')
    .replace(/\s?\([^)]{0,40}\)?$/, '')
    .replace(/\s(?:[ivx]{1,4}|\d{1,2}|l\d)$/i, '')
    .trim();
  const head = core.split(/\s+/).at(-1) ?? '';
  return DESIGNATION.test(head) || STATUS.test(head);
}

/** Contact details or where the candidate lives: a header line the headline may come after. */
function contactOrPlace(line: string): boolean {
  const digits = line.replace(/\D/g, '').length;
  if (EMAIL.test(line) || HAS_URL.test(line) || HAS_CONTACT_LABEL.test(line) || digits > 6 || /\bindeed\b/i.test(line))
    return true;
  const parts = fragments(line);
  return parts.length > 0 && parts.every((p) => kindOf(p) === 'location' || PLACE.test(p));
}

/**
 * The candidate's stated role: a short line under the name that reads as one ("Java Developer", "Senior
 * Software Engineer", "Data Analyst | Python | SQL" -> "Data Analyst", "Azure Developer with 9 years of
 * experience" -> "Azure Developer"), within the three header lines after the name; contact lines and the
 * place may come first. "Title - Company" and "Title at Company" give the title (withHeadline makes them
 * a job too). A sentence, a heading, an employer or an address ends the search: the headline is not
 * looked for in the paragraphs under it.
 */
function headlineFrom(header: string[], name: string | null): Field<string | null> {
  const named = name ? plainWords(name) : null;
  const at = named ? header.slice(0, 8).findIndex((l) => plainWords(withoutContacts(l)) === named) : -1;
  for (const raw of header.slice(Math.max(at, 0) + 1, Math.max(at, 0) + 4)) {
    const line = raw.replace(BULLET, '').replace(/["“”]/g, ' ').replace(/\s+/g, ' ').trim();
    if (line.length > 120) break;
    if (named && plainWords(line) === named) continue;
    if (contactOrPlace(line)) continue;
    if (sectionOf(line) || sectionByWords(line, true)) break;
    // What follows "with" states experience or skills, not the role ("Java Developer with 5 years…");
    // before "as", the employer ("Acme Consultants as a HR Executive"); an unclosed bracket opens nothing.
    const cut = line
      .replace(/\swith\s.*$/i, '')
      .replace(/^.{1,60}?\sas\s(?:an?\s)?(?=\S)/i, '')
      .replace(/^\((?=[^)]*(?:\(|$))/, '')
      .trim();
    if (SENTENCE_LED.test(cut) || SENTENCE_WORDS.test(cut) || /[.;:!?]$/.test(cut)) break;
    const { title } = namesFrom([cut]);
    const first = fragments(cut)[0];
    const role = [title, first].find((c): c is string => !!c && roleShaped(c) && plainWords(c) !== named);
    if (!role) break;
    return { value: trimWhere(role, (c) => /[\s,;:|/–—-]/.test(c)), confidence: 0.6 };
  }
  return { value: null, confidence: 0 };
}

/** Degrees and school-leaving qualifications as CVs abbreviate them ("B. Tech", "M.C.A", "SSC", "12th"). */
const DEGREE =
  /\b(ph\.? ?d|doctor(?:ate)?|masters?|m[.-]? ?sc|m\.? ?s\b(?![ -]?(?:office|excel|word|access|power))|m\.? ?a\b|m\.? ?b\.? ?a\b|m[.-]? ?tech|m\.? ?e\b|m\.? ?c\.? ?a\b|m[.-]? ?com\b|m\.? ?phil|bachelors?|b[.-]? ?sc|b\.? ?s\b|b\.? ?a\b|b[.-]? ?tech|b\.? ?e\b|b\.? ?c\.? ?a\b|b\.? ?b\.? ?a\b|b\.? ?b\.? ?m\b|b[.-]? ?com\b|b\.? ?ed\b|b\.? ?pharm|m\.? ?pharm|mbbs|llb|llm|pgd[a-z]{0,6}|p\.? ?g\.? ?d\.?[a-z. ]{0,8}|post[- ]?graduat[a-z]{0,5}|graduat(?:e|ion)|diploma|associate|certificate|high school|higher secondary|senior secondary|secondary school|intermediate|matriculation|[ao][- ]levels?|gcse|s\.? ?s\.? ?c\b|h\.? ?s\.? ?c\b|s\.? ?s\.? ?l\.? ?c\b|puc|pre[- ]university|(?:10|12)th|x(?:ii)?(?:th)?\s+(?:standard|std|class)|btec|hnc|hnd|amie)/i;
const INSTITUTION =
  /(university|univercity|college|institute|school|academy|polytechnic|\biit\b|\bnit\b|\biim\b|\bbits\b|vidyalaya|vidyapeeth|universität|université|universidad|hochschule)/i;
const YEAR = /\b(?:19|20)\d{2}\b/;
const PLACE = /^\p{Lu}[\p{L}.' ]{1,30}(?:,\s?\p{Lu}[\p{L}.' ]{1,30}){1,2}$/u;
/** A grade or score ("8.1 CGPA", "78%", "GPA: 3.8"): not part of the degree's or the institution's name. */
const GRADE =
  /\b\d{1,3}(?:\.\d{1,2})?\s?(?:%|\/\s?10\b|(?:c?gpa|cpi|sgpa)\b)|\b(?:c?gpa|cpi|sgpa|percentage|aggregate)\s?[:-]?\s?\d{1,3}(?:\.\d{1,2})?\s?%?/gi;
const TABLE_HEADING =
  /^(?:university|board|institut(?:e|ion)|college|school)(?:\s?(?:or|\/|&|and)\s?(?:university|board|institut(?:e|ion)|college|school))+$/i;

/** "B.Tech in CSE from XYZ College, Pune (2014)": the degree part and the institution part. */
function degreeAndSchool(line: string): { degree: string | null; institution: string | null } {
  const text = line
    .slice(0, 200)
    .replace(RANGE, ' ')
    .replace(/\(?\s?\b(?:19|20)\d{2}\b\s?\)?/g, ' ')
    .replace(GRADE, ' ')
    .replace(/\s+/g, ' ')
    // What the dates and grades left between commas ("XYZ Institute, 2019, 8.1 CGPA").
    .replace(/,(?:\s?,){1,20}/g, ',')
    .trim()
    .replace(GLYPH, '')
    .trim()
    .replace(/\s?[,|–—:-]$/, '')
    .trim();
  // Not an entry: a skill list ("Computing languages: SQL, MS-Office"), a table's heading ("University or
  // Board"), or where an institution is ("Cambridge, MA, USA": MA there is a state, not a degree).
  const label = /^([^:]{1,40}):\s?\S/.exec(text)?.[1];
  const place = text.split(',')[0] ?? '';
  if (
    (label && !DEGREE.test(label) && !INSTITUTION.test(label) && !/qualification|degree|course|stream/i.test(label)) ||
    TABLE_HEADING.test(text) ||
    (PLACE.test(text) && !DEGREE.test(place) && !INSTITUTION.test(text))
  ) {
    return { degree: null, institution: null };
  }
  const hasDegree = DEGREE.test(text);
  const hasSchool = INSTITUTION.test(text);
  if (hasDegree && hasSchool) {
    const parts = text.split(/\s(?:from|at)\s|\s[-–—|]\s|,\s/i).map((p) => p.trim());
    const degree = parts.find((p) => DEGREE.test(p) && !INSTITUTION.test(p)) ?? null;
    const school = parts.find((p) => INSTITUTION.test(p) && p !== degree) ?? null;
    if (degree && school) return { degree, institution: text.slice(text.indexOf(school)) };
    return { degree: null, institution: text };
  }
  if (hasSchool) return { degree: null, institution: text };
  if (hasDegree && text.length <= 120) return { degree: text, institution: null };
  return { degree: null, institution: null };
}

/** The subject a degree names: "M.Sc in Physics", "B.Tech (Computer Science)"; not a grade or a year. */
function fieldOf(degree: string): string | null {
  const named =
    /\sin\s+(\p{L}[\p{L}&,.' -]{1,80})$/iu.exec(degree)?.[1] ?? /\((\p{L}[\p{L}&,.' -]{1,80})\)/u.exec(degree)?.[1];
  let field = named?.trim() ?? '';
  while (/[,.-]$/.test(field)) field = field.slice(0, -1).trimEnd();
  return field && !DEGREE.test(field) && !INSTITUTION.test(field) ? field : null;
}

const newEducation = (entry: Pick<Education, 'institution' | 'degree'>): Education => ({
  ...entry,
  field: entry.degree ? fieldOf(entry.degree) : null,
  grade: null,
  start: null,
  end: null,
});

function educationFrom(lines: string[]): Education[] {
  const entries: Education[] = [];
  let current: Education | null = null;
  for (const line of lines) {
    const { degree, institution } = degreeAndSchool(line);
    const range = datesIn(line);
    const year = YEAR.exec(line)?.[0] ?? null;
    if (institution) {
      if (!current || current.institution) {
        current = newEducation({ institution, degree: null });
        entries.push(current);
      } else current.institution = institution;
    }
    if (degree) {
      if (!current || current.degree) {
        current = newEducation({ institution: null, degree });
        entries.push(current);
      } else {
        current.degree = degree;
        current.field = fieldOf(degree);
      }
    }
    if ((range || year) && current) {
      current.start ??= range?.start ?? null;
      current.end ??= range?.end ?? year;
    }
    const grade = current ? line.slice(0, 200).match(GRADE)?.[0] : undefined;
    if (grade && current) current.grade ??= grade.trim();
  }
  return entries;
}

const MONTH_INDEX: Record<string, number> = Object.fromEntries(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [m, i]),
);

/** Months since year 0 for "Mar 2019", "03/2019", "2019-03", "2019"; `present` is `now`. */
function monthOf(value: string, now: Date): number | null {
  // A date is short; the bound keeps the patterns below linear on any input.
  const v = value.toLowerCase().slice(0, 40);
  if (/present|current|now|today/.test(v)) return now.getUTCFullYear() * 12 + now.getUTCMonth();
  // eslint-disable-next-line regexp/no-super-linear-move -- v is at most 40 characters (above)
  const named = /([a-z]{3})[a-z]*\.?\s+(\d{4})/.exec(v);
  if (named) return Number(named[2]) * 12 + (MONTH_INDEX[named[1] as string] ?? 0);
  const mmYyyy = /(\d{1,2})[/.-](\d{4})/.exec(v);
  if (mmYyyy) return Number(mmYyyy[2]) * 12 + Number(mmYyyy[1]) - 1;
  const yyyyMm = /(\d{4})[/.-](\d{1,2})/.exec(v);
  if (yyyyMm) return Number(yyyyMm[1]) * 12 + Number(yyyyMm[2]) - 1;
  const year = /(\d{4})/.exec(v);
  return year ? Number(year[1]) * 12 : null;
}

/** Years covered by the jobs, overlapping periods counted once. */
export function totalYears(jobs: Job[], now = new Date()): number | null {
  const spans = jobs
    .map((j) => [j.start ? monthOf(j.start, now) : null, j.end ? monthOf(j.end, now) : null] as const)
    .filter((s): s is readonly [number, number] => s[0] !== null && s[1] !== null && s[1] >= s[0])
    .sort((a, b) => a[0] - b[0]);
  if (spans.length === 0) return null;
  let months = 0;
  let [start, end] = spans[0] as readonly [number, number];
  for (const [s, e] of spans.slice(1)) {
    if (s <= end) end = Math.max(end, e);
    else {
      months += end - start;
      [start, end] = [s, e];
    }
  }
  months += end - start;
  return Math.round((months / 12) * 10) / 10;
}

/**
 * What the layout says, from the PDF or DOCX reader: the line in the largest (or first bold) type at the
 * top of page one, and the lines set in bold or larger type than the body.
 */
export type LayoutHints = { name?: string | null | undefined; styled?: StyledLine[] | undefined };

export function parseProfile(text: string, now = new Date(), hints: LayoutHints = {}): Profile {
  const styles: Styles = new Map(
    (hints.styled ?? []).slice(0, 400).map((l) => [styleKey(l.text), { bold: l.bold, scale: l.scale, rule: l.rule }]),
  );
  const sections = splitSections(text, styles);
  const header = sections.header ?? [];
  const email = EMAIL.exec(text)?.[0] ?? null;
  const links = [...new Set([...text.matchAll(URL_RE)].map((m) => m[0].replace(/[.,]$/, '')))];
  const experience = withHeadline(experienceFrom(sections.experience ?? [], styles), header);
  const education = educationFrom(sections.education ?? []);
  const languages = (sections.languages ?? [])
    .flatMap((l) => l.split(/[,;|•·]/))
    .map((l) => {
      const cut = l.search(/[(:-]/);
      return (cut < 0 ? l : l.slice(0, cut)).trim();
    })
    .filter((l) => /^\p{L}[\p{L} ]{1,30}$/u.test(l));
  const summary = (sections.summary ?? []).join(' ').trim();
  const years = totalYears(experience, now);
  const name = nameFrom(hints.name ? [hints.name, ...header] : header, hints.name ? 1 : 0);
  return {
    name,
    headline: headlineFrom(header, name.value),
    email: { value: email, confidence: email ? 0.99 : 0 },
    phone: phoneIn(header, text),
    location: locationFrom(header),
    links: { value: links, confidence: links.length > 0 ? 0.9 : 0 },
    summary: { value: summary || null, confidence: summary ? 0.8 : 0 },
    skills: skillsFrom(sections, experience, name.value),
    experience: { value: experience, confidence: experience.length > 0 ? 0.7 : 0 },
    education: { value: education, confidence: education.length > 0 ? 0.7 : 0 },
    languages: { value: languages, confidence: languages.length > 0 ? 0.8 : 0 },
    totalYearsExperience: { value: years, confidence: years === null ? 0 : 0.6 },
  };
}
