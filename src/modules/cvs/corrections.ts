/**
 * The seeker's corrections to a CV's profile. They are stored apart from the extraction
 * (`cvs.profile_corrections`), field by field, so reading the file again never overwrites them; the
 * effective profile — what the API returns and what matching and cover letters use — is the extracted
 * profile with each corrected field replaced (confidence 1: the seeker said so).
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/client.ts';
import { cvs } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { normalizeSkills } from '../skills/skills.ts';
import { totalYears } from './profile.ts';

const text = (max: number) => z.string().trim().max(max);
const jobCorrection = z.strictObject({
  title: text(200).nullable(),
  company: text(200).nullable(),
  start: text(40).nullable().default(null),
  end: text(40).nullable().default(null),
  description: text(5000).default(''),
});
const educationCorrection = z.strictObject({
  institution: text(300).nullable(),
  degree: text(300).nullable(),
  field: text(200).nullable().default(null),
  grade: text(40).nullable().default(null),
  start: text(40).nullable().default(null),
  end: text(40).nullable().default(null),
});

/** Every field the seeker may set; a field given replaces the extracted one entirely. */
export const profileCorrections = z
  .strictObject({
    name: text(200).min(1).nullable(),
    headline: text(200).nullable(),
    email: z.email().max(254).nullable(),
    phone: text(40).nullable(),
    location: text(200).nullable(),
    links: z.array(text(500).min(1)).max(20),
    summary: text(5000).nullable(),
    skills: z.array(text(100).min(1)).max(200),
    experience: z.array(jobCorrection).max(50),
    education: z.array(educationCorrection).max(30),
    languages: z.array(text(60).min(1)).max(30),
    totalYearsExperience: z.number().min(0).max(80).nullable(),
  })
  .partial()
  .meta({ id: 'CvProfileCorrections', description: "The seeker's corrections, field by field." });
export type ProfileCorrections = z.infer<typeof profileCorrections>;
export const CORRECTABLE = Object.keys(profileCorrections.shape) as Array<keyof ProfileCorrections>;

export const correctProfileBody = profileCorrections
  .extend({
    reset: z
      .array(z.enum(CORRECTABLE as [keyof ProfileCorrections, ...Array<keyof ProfileCorrections>]))
      .max(CORRECTABLE.length)
      .optional()
      .meta({ description: 'Fields whose corrections are dropped: the extracted value applies again.' }),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Send at least one field to correct or reset.' });

type StoredProfile = Record<string, unknown>;

/** Education entries stored before `field` and `grade` existed read as naming neither. */
const withEducationFields = (entries: unknown) =>
  Array.isArray(entries) ? entries.map((e: object) => ({ field: null, grade: null, ...e })) : entries;

/** Stored corrections as the current shape (education entries saved before `field` and `grade`). */
function readCorrections(stored: StoredProfile): StoredProfile {
  return 'education' in stored ? { ...stored, education: withEducationFields(stored.education) } : stored;
}

/** Fields added to the profile since profiles were first stored: an older profile reads them as not found. */
const ADDED_FIELDS: StoredProfile = { headline: { value: null, confidence: 0 } };

/** A stored profile as the current shape: fields it predates read as not found. */
export function readProfile(profile: StoredProfile): StoredProfile {
  return { ...ADDED_FIELDS, ...profile };
}

/** The extracted profile with each corrected field in its place. */
export function effectiveProfile(profile: StoredProfile, corrections: StoredProfile): StoredProfile {
  const out: StoredProfile = readProfile(profile);
  for (const [key, value] of Object.entries(corrections)) out[key] = { value, confidence: 1 };
  const education = out.education as { value?: unknown } | undefined;
  if (education) out.education = { ...education, value: withEducationFields(education.value) };
  // Years follow a corrected work history unless the seeker stated them too.
  if ('experience' in corrections && !('totalYearsExperience' in corrections)) {
    const years = totalYears(corrections.experience as Parameters<typeof totalYears>[0]);
    out.totalYearsExperience = { value: years, confidence: years === null ? 0 : 0.6 };
  }
  return out;
}

/** A CV row as the API shows it: effective profile, and the corrections that shaped it. */
export function withCorrections<T extends { profile: StoredProfile; profileCorrections: StoredProfile }>(row: T) {
  const { profileCorrections, ...rest } = row;
  const corrections = readCorrections(profileCorrections);
  return { ...rest, profile: effectiveProfile(row.profile, corrections), corrections };
}

export type CorrectProfile = z.infer<typeof correctProfileBody>;

/**
 * Applies corrections to the caller's CV (another user's is 404). One row lock, so concurrent
 * corrections of different fields all land. The skills column (search, matching) follows the
 * effective skills.
 */
export async function correctProfile(tx: Tx, id: string, input: CorrectProfile) {
  const { reset = [], ...fields } = input;
  const [row] = await tx
    .select({ profile: cvs.profile, profileCorrections: cvs.profileCorrections })
    .from(cvs)
    .where(eq(cvs.id, id))
    .for('update');
  if (!row) throw new AppError('CV_NOT_FOUND');
  const corrections: StoredProfile = { ...readCorrections(row.profileCorrections) };
  for (const key of reset) delete corrections[key];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    corrections[key] = key === 'skills' ? normalizeSkills(value as string[]) : value;
  }
  const effective = effectiveProfile(row.profile, corrections);
  const skills = ((effective.skills as { value?: unknown } | undefined)?.value ?? []) as string[];
  await tx.update(cvs).set({ profileCorrections: corrections, skills }).where(eq(cvs.id, id));
  return { profile: effective, corrections };
}
