/**
 * Skill names in one canonical form, shared by jobs, CVs and matching: "JS" and "javascript" are the
 * same skill, and names made of symbols (C#, C++, .NET, Node.js) are kept intact.
 *
 * Canonical names are lower-case. The alias table is deliberately small here; the curated taxonomy
 * (categories, thousands of skills) extends it without changing this interface.
 */
const ALIASES: Record<string, string> = {
  js: 'javascript',
  ecmascript: 'javascript',
  ts: 'typescript',
  nodejs: 'node.js',
  node: 'node.js',
  'node js': 'node.js',
  reactjs: 'react',
  'react.js': 'react',
  vuejs: 'vue.js',
  vue: 'vue.js',
  angularjs: 'angular',
  golang: 'go',
  k8s: 'kubernetes',
  postgres: 'postgresql',
  psql: 'postgresql',
  mongo: 'mongodb',
  'c sharp': 'c#',
  csharp: 'c#',
  cplusplus: 'c++',
  cpp: 'c++',
  dotnet: '.net',
  'dot net': '.net',
  'asp.net core': 'asp.net',
  py: 'python',
  ml: 'machine learning',
  ai: 'artificial intelligence',
  gcp: 'google cloud',
  aws: 'amazon web services',
  'amazon aws': 'amazon web services',
  'ms excel': 'excel',
};

/** The canonical form of one skill name, or null when nothing usable is left. */
export function normalizeSkill(raw: string): string | null {
  const cleaned = raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[\s,;:/|-]+|[\s,;:/|-]+$/g, '');
  if (!cleaned || cleaned.length > 100) return null;
  return ALIASES[cleaned] ?? cleaned;
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
