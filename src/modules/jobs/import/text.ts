/**
 * Text as job files arrive: in UTF-8 (with or without a byte-order mark), UTF-16, or Windows-1252 /
 * Latin-1; and UTF-8 that was once mis-decoded as Windows-1252 ("â€™" for "’", "Ã©" for "é").
 */

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** The encoding of a file from its first bytes, and how many bytes of byte-order mark to skip. */
export function sniffEncoding(head: Uint8Array): { encoding: TextEncoding; bom: number; sure: boolean } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: 3, sure: true };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2, sure: true };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2, sure: true };
  // UTF-16 without a mark: text in Latin script has a zero in every other byte.
  const sample = head.subarray(0, 4096);
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) i % 2 === 0 ? evenZeros++ : oddZeros++;
  const pairs = sample.length / 2;
  if (pairs >= 2 && oddZeros > pairs * 0.3 && evenZeros < pairs * 0.05)
    return { encoding: 'utf-16le', bom: 0, sure: false };
  if (pairs >= 2 && evenZeros > pairs * 0.3 && oddZeros < pairs * 0.05)
    return { encoding: 'utf-16be', bom: 0, sure: false };
  return isUtf8(head) ? { encoding: 'utf-8', bom: 0, sure: true } : { encoding: 'windows-1252', bom: 0, sure: false };
}

/** True when the bytes are valid UTF-8, allowing a sequence cut at the end of the sample. */
export function isUtf8(bytes: Uint8Array): boolean {
  let end = bytes.length;
  // Step back over a possibly cut multi-byte sequence at the end.
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = bytes[end - back] as number;
    if ((b & 0xc0) === 0xc0) {
      end -= back;
      break;
    }
    if ((b & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** Windows-1252's characters for bytes 0x80-0x9f (the rest of 0x00-0xff is Latin-1). */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const CP1252_BYTE = new Map<string, number>([...CP1252_HIGH].map((c, i) => [c, 0x80 + i]));

/** Mojibake markers: a UTF-8 lead byte read as Windows-1252, followed by a continuation byte. */
const MOJIBAKE = /[ÂÃÅâ][\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]/;

/**
 * "Itâ€™s", "CafÃ©": the text as it was meant, when it reads as UTF-8 decoded as Windows-1252.
 * Text that is not (a character outside Windows-1252, or bytes that are not UTF-8) is returned as is.
 */
export function repairMojibake(text: string): string {
  if (!MOJIBAKE.test(text)) return text;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const b = c < 0x80 || (c >= 0xa0 && c <= 0xff) ? c : CP1252_BYTE.get(text[i] as string);
    if (b === undefined) return text;
    bytes[i] = b;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return text;
  }
}

/**
 * Chunks of a byte stream as text, the encoding sniffed from the first chunk. A UTF-8 file with an
 * invalid sequence later on is read from that chunk on as Windows-1252 (never U+FFFD).
 */
export async function* decodeChunks(
  stream: AsyncIterable<unknown>,
  onEncoding?: (encoding: TextEncoding, sure: boolean) => void,
): AsyncGenerator<string> {
  let decoder: InstanceType<typeof TextDecoder> | undefined;
  let encoding: TextEncoding = 'utf-8';
  for await (const chunk of stream) {
    if (typeof chunk === 'string') {
      yield chunk;
      continue;
    }
    let bytes = chunk as Uint8Array;
    if (!decoder) {
      const sniffed = sniffEncoding(bytes);
      encoding = sniffed.encoding;
      onEncoding?.(encoding, sniffed.sure);
      bytes = bytes.subarray(sniffed.bom);
      decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8', ignoreBOM: true });
    }
    try {
      yield decoder.decode(bytes, { stream: true });
    } catch {
      encoding = 'windows-1252';
      onEncoding?.(encoding, false);
      decoder = new TextDecoder(encoding);
      yield decoder.decode(bytes, { stream: true });
    }
  }
  if (decoder) {
    const rest = decoder.decode();
    if (rest) yield rest;
  }
}
