/**
 * What an upload really is, decided from its bytes: the name and Content-Type a client sends are only
 * claims. A claim that disagrees with the bytes is refused.
 */
export type CvKind = 'pdf' | 'docx' | 'text';

export const MIME_TYPES: Record<CvKind, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  text: 'text/plain; charset=utf-8',
};

const EXTENSIONS: Record<string, CvKind> = { pdf: 'pdf', docx: 'docx', txt: 'text', text: 'text', md: 'text' };

export function sniff(bytes: Uint8Array): CvKind | null {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  // PDF readers accept the header anywhere in the first 1 KB.
  if (head.includes('%PDF-')) return 'pdf';
  if (head.startsWith('PK\u0003\u0004')) return 'docx'; // a ZIP: confirmed as a Word document when opened
  return isPlainText(bytes) ? 'text' : null;
}

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export type DecodedText = { text: string; encoding: TextEncoding; sure: boolean };

/**
 * A text file's characters, whatever common encoding it was saved in: UTF-8 (with or without a byte
 * order mark), UTF-16 in either byte order (a mark, or zero bytes on every other position), and
 * otherwise Windows-1252, the superset of Latin-1 that Windows editors write — a guess, so `sure` is
 * false and the caller says so. Null for a binary file.
 */
export function decodeText(bytes: Uint8Array): DecodedText | null {
  if (bytes.length === 0) return null;
  const decode = (encoding: TextEncoding, sure: boolean, from = 0): DecodedText | null => {
    try {
      const text = new TextDecoder(encoding, { fatal: encoding !== 'windows-1252' }).decode(bytes.subarray(from));
      return looksLikeText(text) ? { text, encoding, sure } : null;
    } catch {
      return null;
    }
  };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decode('utf-8', true, 3);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decode('utf-16le', true, 2);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decode('utf-16be', true, 2);
  // UTF-16 without a mark: Latin-script text has a zero byte in every other position.
  const sample = bytes.subarray(0, 4096);
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) i % 2 === 0 ? evenZeros++ : oddZeros++;
  const half = sample.length / 2;
  if (oddZeros > half * 0.3 && evenZeros < half * 0.05) return decode('utf-16le', false);
  if (evenZeros > half * 0.3 && oddZeros < half * 0.05) return decode('utf-16be', false);
  if (evenZeros + oddZeros > 0) return null; // zero bytes elsewhere: a binary file
  return decode('utf-8', true) ?? decode('windows-1252', false);
}

/** Tabs, newlines and carriage returns are text; other control characters mean a binary file. */
function looksLikeText(text: string): boolean {
  if (text.length === 0) return false;
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return false;
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || (c >= 0x7f && c < 0xa0)) control++;
  }
  return control / text.length < 0.01;
}

function isPlainText(bytes: Uint8Array): boolean {
  return decodeText(bytes) !== null;
}

/** The kind the file name claims, or null for names we do not accept. */
export function kindFromName(fileName: string): CvKind | null {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  return ext ? (EXTENSIONS[ext] ?? null) : 'text';
}
