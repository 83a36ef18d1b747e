import type { COVER_LETTER_LENGTHS, COVER_LETTER_TONES } from '../../db/schema/index.ts';

export type CoverLetterTone = (typeof COVER_LETTER_TONES)[number];
export type CoverLetterLength = (typeof COVER_LETTER_LENGTHS)[number];
