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

function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  // Tabs, newlines and carriage returns are text; other control characters mean a binary file.
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return false;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) control++;
  }
  return control / text.length < 0.01;
}

/** The kind the file name claims, or null for names we do not accept. */
export function kindFromName(fileName: string): CvKind | null {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  return ext ? (EXTENSIONS[ext] ?? null) : 'text';
}
