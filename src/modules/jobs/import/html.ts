/**
 * HTML from untrusted job pages and files, read in one pass with indexOf (linear-time whatever the
 * input: issue 11 found quadratic patterns here, e.g. `<[^>]+>` on a page of "<" without ">").
 */

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const BLOCK_TAGS = new Set([
  'p',
  'div',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'tr',
  'ul',
  'ol',
  'table',
  'section',
]);
const SKIPPED_TAGS = new Set(['script', 'style', 'template', 'noscript', 'iframe', 'object']);

/** The tag name at `html[at] === '<'` (lower-case, "/p" for a closing tag), bounded to 20 characters. */
function tagName(html: string, at: number): string {
  let end = at + 1;
  if (html[end] === '/') end++;
  while (end < html.length && end - at < 20 && /[A-Za-z0-9]/.test(html[end] as string)) end++;
  return html.slice(at + 1, end).toLowerCase();
}

function decodeEntity(entity: string): string | undefined {
  const lower = entity.toLowerCase();
  if (NAMED_ENTITIES[lower] !== undefined) return NAMED_ENTITIES[lower];
  if (!lower.startsWith('#')) return undefined;
  const code = lower.startsWith('#x') ? Number.parseInt(lower.slice(2), 16) : Number.parseInt(lower.slice(1), 10);
  return Number.isInteger(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : '';
}

/** Text with its HTML entities decoded (`&amp;`, `&#8217;`, `&#x2019;`). */
export function decodeEntities(text: string): string {
  let out = '';
  let from = 0;
  for (let amp = text.indexOf('&'); amp >= 0; amp = text.indexOf('&', amp + 1)) {
    const semi = text.indexOf(';', amp);
    if (semi < 0 || semi - amp > 10) continue;
    const decoded = decodeEntity(text.slice(amp + 1, semi));
    if (decoded === undefined) continue;
    out += text.slice(from, amp) + decoded;
    from = semi + 1;
    amp = semi;
  }
  return out + text.slice(from);
}

/** Collapses runs of spaces and blank lines, line by line (no backtracking pattern). */
function tidy(text: string): string {
  const lines = text.split('\n').map((line) => line.replace(/[ \t\r\f\v\u00a0]+/g, ' ').trim());
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

/** `html` lower-cased, made on first need (most descriptions have no script or style to look past). */
function lowerOnce(html: string): () => string {
  let lower: string | undefined;
  return () => {
    lower ??= html.toLowerCase();
    return lower;
  };
}

/**
 * Where reading resumes after the comment or the element whose content is never text (script, style,
 * SKIPPED_TAGS) whose tag spans `lt`..`gt`; -1 when the tag is neither.
 */
function skipUnshown(html: string, lt: number, gt: number, name: string, lowered: () => string): number {
  if (html.startsWith('<!--', lt)) {
    const end = html.indexOf('-->', lt + 4);
    return end < 0 ? html.length : end + 3;
  }
  if (!SKIPPED_TAGS.has(name)) return -1;
  const close = lowered().indexOf(`</${name}`, gt + 1);
  return close < 0 ? html.length : Math.max(gt + 1, html.indexOf('>', close) + 1 || html.length);
}

/**
 * HTML to plain text with its structure kept as line breaks and "- " bullets; scripts, styles and
 * every tag and attribute dropped (so nothing active survives: the safe subset is text).
 */
export function htmlToText(html: string): string {
  const lowered = lowerOnce(html);
  let out = '';
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      out += html.slice(i);
      break;
    }
    out += html.slice(i, lt);
    // As in HTML, "<" starts a tag only before a letter, "/" or "!": "a < b" and "<<" are text.
    if (!/[A-Za-z/!]/.test(html[lt + 1] ?? '')) {
      out += '<';
      i = lt + 1;
      continue;
    }
    const gt = html.indexOf('>', lt + 1);
    if (gt < 0) {
      // No tag can close after this point: the rest is text.
      out += html.slice(lt);
      break;
    }
    const name = tagName(html, lt);
    const past = skipUnshown(html, lt, gt, name, lowered);
    if (past >= 0) {
      i = past;
      continue;
    }
    i = gt + 1;
    const bare = name.startsWith('/') ? name.slice(1) : name;
    if (bare === 'br') out += '\n';
    else if (name === 'li') out += '\n- ';
    else if (BLOCK_TAGS.has(bare)) out += '\n';
  }
  return tidy(decodeEntities(out));
}

/** True when text holds HTML markup worth converting (tags of the kinds job descriptions use). */
export function looksLikeHtml(text: string): boolean {
  const sample = text.slice(0, 20_000).toLowerCase();
  for (const tag of ['<p>', '<p ', '<br', '<li>', '<li ', '<div', '<ul>', '<strong>', '<b>', '</p>', '<h2', '<h3']) {
    if (sample.includes(tag)) return true;
  }
  return false;
}

/**
 * The contents of every `<script type="application/ld+json">` block, with the line each starts on.
 * One pass: tags found with indexOf, lines counted incrementally (never by re-splitting the page).
 */
export function jsonLdBlocks(html: string): Array<{ line: number; text: string }> {
  const lower = html.toLowerCase();
  const blocks: Array<{ line: number; text: string }> = [];
  let line = 1;
  let counted = 0;
  for (let at = lower.indexOf('<script', 0); at >= 0; at = lower.indexOf('<script', at + 1)) {
    const gt = lower.indexOf('>', at);
    if (gt < 0) break;
    const open = lower.slice(at, gt);
    const close = lower.indexOf('</script', gt);
    const end = close < 0 ? html.length : close;
    if (open.includes('application/ld+json')) {
      for (let nl = html.indexOf('\n', counted); nl >= 0 && nl < at; nl = html.indexOf('\n', nl + 1)) line++;
      counted = at;
      blocks.push({ line, text: html.slice(gt + 1, end) });
    }
    at = end;
  }
  return blocks;
}

/** Tags kept by sanitizeHtml, each under its canonical name (b -> strong, i -> em). */
const SAFE_TAGS: Record<string, string> = {
  p: 'p',
  br: 'br',
  ul: 'ul',
  ol: 'ol',
  li: 'li',
  strong: 'strong',
  b: 'strong',
  em: 'em',
  i: 'em',
  h3: 'h3',
  h4: 'h4',
  h5: 'h5',
  h6: 'h6',
  a: 'a',
};
/** Sanitised HTML stops after about this many characters (the text cut, every open tag closed). */
export const MAX_SAFE_HTML = 200_000;
/** Deeper nesting is unwrapped: it keeps closing a tag a bounded search of the open ones. */
const MAX_DEPTH = 16;

const escapeText = (text: string) =>
  text.replace(/[&<>"]/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`);

/** The href of an `<a ...>` tag when it is http, https or mailto; anything else (javascript:, data:) is dropped. */
function safeHref(tag: string): string | undefined {
  const match = /\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i.exec(tag);
  const raw = decodeEntities(match?.[1] ?? match?.[2] ?? match?.[3] ?? '').trim();
  if (!/^(?:https?:\/\/|mailto:)/i.test(raw) || raw.length > 2000) return undefined;
  try {
    return new URL(raw).href;
  } catch {
    return undefined;
  }
}

/**
 * Untrusted HTML to a safe subset: p, br, ul, ol, li, strong/b, em/i, h3-h6 and a (http, https and
 * mailto links only, rel="nofollow noopener"). Every other tag is unwrapped (its text kept), script,
 * style and the like are dropped with their content, no attribute but href survives, text is
 * re-escaped, and tags are balanced. One pass with indexOf, as htmlToText. Null when nothing is left.
 */
export function sanitizeHtml(html: string): string | null {
  const lowered = lowerOnce(html);
  let out = '';
  const open: string[] = [];
  // Text beyond the budget is cut before it is escaped, so no entity is cut in half.
  const text = (s: string) => {
    out += escapeText(decodeEntities(s.slice(0, Math.max(0, MAX_SAFE_HTML - out.length))));
  };
  let i = 0;
  while (i < html.length && out.length < MAX_SAFE_HTML) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      text(html.slice(i));
      break;
    }
    text(html.slice(i, lt));
    if (!/[A-Za-z/!]/.test(html[lt + 1] ?? '')) {
      out += '&lt;';
      i = lt + 1;
      continue;
    }
    const gt = html.indexOf('>', lt + 1);
    if (gt < 0) {
      text(html.slice(lt));
      break;
    }
    const name = tagName(html, lt);
    const past = skipUnshown(html, lt, gt, name, lowered);
    if (past >= 0) {
      i = past;
      continue;
    }
    i = gt + 1;
    const closing = name.startsWith('/');
    const safe = SAFE_TAGS[closing ? name.slice(1) : name];
    if (!safe) continue;
    if (safe === 'br') {
      if (!closing) out += '<br>';
    } else if (closing) {
      const at = open.lastIndexOf(safe);
      if (at < 0) continue;
      while (open.length > at) out += `</${open.pop()}>`;
    } else if (open.length < MAX_DEPTH) {
      if (safe === 'a') {
        const href = safeHref(html.slice(lt, gt));
        if (!href) continue;
        out += `<a href="${escapeText(href)}" rel="nofollow noopener">`;
      } else {
        out += `<${safe}>`;
      }
      open.push(safe);
    }
  }
  while (open.length > 0) out += `</${open.pop()}>`;
  return htmlToText(out) === '' ? null : out;
}

/** Plain text as safe HTML: a paragraph per blank-line-separated block, a <br> per line break. */
export function textAsHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .filter((block) => block.trim() !== '')
    .map((block) => `<p>${block.split('\n').map(escapeText).join('<br>')}</p>`)
    .join('');
}
