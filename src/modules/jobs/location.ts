/**
 * What a location search means beyond its letters: "New York" and "NYC" also find "Brooklyn, NY";
 * "California" finds "San Jose, CA" and "CA" finds "California". The tables are fixed (US states and
 * a few metro areas whose postings name boroughs or use an abbreviation); user text is only ever
 * matched literally (LIKE with its wildcards escaped), the regular expressions come from these tables.
 */

const STATES: Record<string, string> = {
  al: 'alabama',
  ak: 'alaska',
  az: 'arizona',
  ar: 'arkansas',
  ca: 'california',
  co: 'colorado',
  ct: 'connecticut',
  de: 'delaware',
  fl: 'florida',
  ga: 'georgia',
  hi: 'hawaii',
  id: 'idaho',
  il: 'illinois',
  in: 'indiana',
  ia: 'iowa',
  ks: 'kansas',
  ky: 'kentucky',
  la: 'louisiana',
  me: 'maine',
  md: 'maryland',
  ma: 'massachusetts',
  mi: 'michigan',
  mn: 'minnesota',
  ms: 'mississippi',
  mo: 'missouri',
  mt: 'montana',
  ne: 'nebraska',
  nv: 'nevada',
  nh: 'new hampshire',
  nj: 'new jersey',
  nm: 'new mexico',
  ny: 'new york',
  nc: 'north carolina',
  nd: 'north dakota',
  oh: 'ohio',
  ok: 'oklahoma',
  or: 'oregon',
  pa: 'pennsylvania',
  ri: 'rhode island',
  sc: 'south carolina',
  sd: 'south dakota',
  tn: 'tennessee',
  tx: 'texas',
  ut: 'utah',
  vt: 'vermont',
  va: 'virginia',
  wa: 'washington',
  wv: 'west virginia',
  wi: 'wisconsin',
  wy: 'wyoming',
  dc: 'district of columbia',
};
const STATE_CODES = new Map(Object.entries(STATES).map(([code, name]) => [name, code]));

const NEW_YORK_CITY = [
  'new york',
  'nyc',
  'brooklyn',
  'manhattan',
  'queens',
  'bronx',
  'staten island',
  'long island city',
];
const METROS: Record<string, { contains: string[]; states?: string[] }> = {
  'new york': { contains: NEW_YORK_CITY, states: ['ny'] },
  'new york city': { contains: NEW_YORK_CITY },
  'new york, ny': { contains: NEW_YORK_CITY },
  nyc: { contains: NEW_YORK_CITY },
  'san francisco': { contains: ['san francisco', 'sf bay'] },
  sf: { contains: ['san francisco'] },
  'los angeles': { contains: ['los angeles', 'santa monica', 'hollywood'] },
  la: { contains: ['los angeles', 'santa monica', 'hollywood'] },
  'bay area': {
    contains: [
      'san francisco',
      'san jose',
      'oakland',
      'palo alto',
      'mountain view',
      'sunnyvale',
      'santa clara',
      'redwood city',
      'menlo park',
      'berkeley',
      'south san francisco',
    ],
  },
  'washington dc': { contains: ['washington, dc', 'washington dc', 'washington, d.c.'], states: ['dc'] },
  'washington, dc': { contains: ['washington, dc', 'washington dc', 'washington, d.c.'], states: ['dc'] },
  dc: { contains: ['washington, dc', 'washington dc', 'washington, d.c.'] },
  london: { contains: ['london'] },
  uk: { contains: ['united kingdom', 'england', 'scotland', 'wales'] },
};

/** The ways a location query can match: literal substrings, and codes (states, countries) after a comma. */
export function locationMatchers(query: string): { contains: string[]; stateCodes: string[] } {
  const text = query.trim().toLowerCase().replace(/\s+/g, ' ');
  const contains = new Set<string>();
  const stateCodes = new Set<string>();
  const metro = METROS[text];
  // A known abbreviation ("TX", "UK", "LA") is matched as a code after a comma ("London, UK"), not as a
  // substring: "%ca%" finds "Toronto, Canada", and no trigram index can narrow a two-letter pattern, so
  // the search would read every job's location.
  if (text.length >= 3 || (!metro && !STATES[text])) contains.add(text);
  else stateCodes.add(text);
  for (const c of metro?.contains ?? []) contains.add(c);
  for (const s of metro?.states ?? []) stateCodes.add(s);
  const stateName = STATES[text];
  if (stateName) {
    contains.add(stateName);
    stateCodes.add(text);
  }
  const code = STATE_CODES.get(text);
  if (code) stateCodes.add(code);
  return { contains: [...contains], stateCodes: [...stateCodes] };
}
