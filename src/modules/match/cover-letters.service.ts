/**
 * Cover letters: written from grounded facts (template, or a language model when configured), checked
 * sentence by sentence, stored, listed, edited, attached to an application, deleted. Writing one is one
 * `cover_letter_generated` of the plan, recorded with the letter; a failed model call is never billed
 * (the template writes the letter instead).
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import { rowsOf, type Tx } from '../../db/client.ts';
import type { RunWork } from '../../db/context.ts';
import { applications, coverLetters, cvs } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { assertQuotaLeft, consumeQuota } from '../plans/quota.ts';
import { groundedFacts, groundLetter, type LetterFacts, templateLetter } from './cover-letter.ts';
import type { CoverLetterLength, CoverLetterTone } from './cover-letter.types.ts';
import { cvFactsFrom } from './facts.ts';
import { llmLetter } from './llm-writer.ts';
import { prepareCv, scoreMatch } from './score.ts';

export const letterColumns = {
  id: coverLetters.id,
  jobId: coverLetters.jobId,
  cvId: coverLetters.cvId,
  applicationId: coverLetters.applicationId,
  tone: coverLetters.tone,
  length: coverLetters.length,
  generator: coverLetters.generator,
  body: coverLetters.body,
  facts: coverLetters.facts,
  createdAt: coverLetters.createdAt,
  updatedAt: coverLetters.updatedAt,
};

type Sources = { cvText: string; jobText: string; cvSkills: Set<string>; jobNames: string[]; derivedNumbers: number[] };

async function gather(tx: Tx, userId: string, jobId: string, cvId: string) {
  const [cv] = await tx
    .select({ text: cvs.parsedContent, profile: cvs.profile, skills: cvs.skills })
    .from(cvs)
    .where(eq(cvs.id, cvId));
  if (!cv) throw new AppError('CV_NOT_FOUND');
  const [job] = rowsOf<{
    id: string;
    title: string;
    company: string;
    description: string;
    requirements: string[];
    location: string | null;
    remote: boolean;
    experience_level: string | null;
  }>(
    await tx.execute(
      sql`select id, title, company, description, requirements, location, remote, experience_level from jobs where id = ${jobId}`,
    ),
  );
  if (!job) throw new AppError('JOB_NOT_FOUND');
  await assertQuotaLeft(tx, userId, 'cover_letter_generated');
  const prepared = prepareCv(cvFactsFrom(cv.text, cv.profile, cv.skills));
  const jobFacts = {
    title: job.title,
    company: job.company,
    description: job.description,
    requirements: job.requirements,
    experienceLevel: job.experience_level,
    location: job.location,
    remote: job.remote,
    salaryCurrency: 'USD',
    salaryYearlyMin: null,
    salaryYearlyMax: null,
  };
  const match = scoreMatch(prepared, jobFacts);
  const facts = groundedFacts(prepared, cv.profile, jobFacts, match);
  const sources: Sources = {
    cvText: cv.text,
    jobText: [job.title, job.company, job.location ?? '', job.description, ...job.requirements].join('\n'),
    cvSkills: new Set(prepared.evidence.keys()),
    jobNames: [job.title, job.company],
    derivedNumbers: facts.years === null ? [] : [facts.years],
  };
  return { facts, sources };
}

/** A letter the model wrote, if it survives grounding with its substance intact; else null. */
function acceptModelLetter(text: string, facts: LetterFacts, sources: Sources) {
  const grounded = groundLetter(text, sources);
  const sentences = grounded.text.split(/[.!?]\s/).filter((s) => /\w/.test(s)).length;
  const lower = grounded.text.toLowerCase();
  const requiredKept = facts.skills.filter((s) => s.required).every((s) => lower.includes(s.name.toLowerCase()));
  return sentences >= 2 && requiredKept ? grounded : null;
}

export type CreateLetterOptions = {
  userId: string;
  jobId: string;
  cvId: string;
  tone: CoverLetterTone;
  length: CoverLetterLength;
};

/**
 * Two units of work around the model call: the first reads the facts, the second stores the letter and
 * its usage row. No transaction is open while the model thinks.
 */
export async function createCoverLetter(run: RunWork, config: Pick<Config, 'llm'>, options: CreateLetterOptions) {
  const { facts, sources } = await run(({ tx }) => gather(tx, options.userId, options.jobId, options.cvId));
  // The model call happens outside any transaction: no connection is held while it thinks.
  let generator: 'template' | 'llm' = 'template';
  let fallbackReason: string | null = null;
  let letter: ReturnType<typeof groundLetter> | null = null;
  if (config.llm) {
    const result = await llmLetter(config.llm, facts, options.tone, options.length);
    if (result.ok) {
      letter = acceptModelLetter(result.text, facts, sources);
      if (letter) generator = 'llm';
      else fallbackReason = 'model letter failed the grounding check';
    } else fallbackReason = result.reason;
  }
  letter ??= groundLetter(templateLetter(facts, options.tone, options.length), sources);
  const stored = {
    skills: facts.skills.map((s) => s.name),
    removedSentences: letter.removed.length,
    ...(fallbackReason ? { fallbackReason } : {}),
  };
  return run(async ({ tx }) => {
    const [row] = await tx
      .insert(coverLetters)
      .values({
        userId: options.userId,
        jobId: options.jobId,
        cvId: options.cvId,
        tone: options.tone,
        length: options.length,
        generator,
        body: letter.text,
        facts: stored,
      })
      .returning(letterColumns);
    if (!row) throw new Error('cover letter not created');
    await consumeQuota(tx, options.userId, 'cover_letter_generated', {
      metadata: { coverLetterId: row.id, jobId: options.jobId, cvId: options.cvId, generator },
    });
    return row;
  });
}

export async function listCoverLetters(tx: Tx, userId: string) {
  return tx
    .select(letterColumns)
    .from(coverLetters)
    .where(eq(coverLetters.userId, userId))
    .orderBy(desc(coverLetters.createdAt), desc(coverLetters.id))
    .limit(200);
}

export async function getCoverLetter(tx: Tx, id: string) {
  const [row] = await tx.select(letterColumns).from(coverLetters).where(eq(coverLetters.id, id));
  if (!row) throw new AppError('COVER_LETTER_NOT_FOUND');
  return row;
}

/** The seeker's own words: stored as written (generator "edited"). */
export async function editCoverLetter(tx: Tx, id: string, body: string) {
  const [row] = await tx
    .update(coverLetters)
    .set({ body, generator: 'edited', updatedAt: new Date() })
    .where(eq(coverLetters.id, id))
    .returning(letterColumns);
  if (!row) throw new AppError('COVER_LETTER_NOT_FOUND');
  return row;
}

/** Copies the letter into the application's cover_letter (the design document's column) and links them. */
export async function attachCoverLetter(tx: Tx, id: string, applicationId: string) {
  const letter = await getCoverLetter(tx, id);
  const [app] = await tx
    .update(applications)
    .set({ coverLetter: letter.body })
    .where(and(eq(applications.id, applicationId), sql`${applications.deletedAt} is null`))
    .returning({ id: applications.id });
  if (!app) throw new AppError('APPLICATION_NOT_FOUND');
  const [row] = await tx
    .update(coverLetters)
    .set({ applicationId, updatedAt: new Date() })
    .where(eq(coverLetters.id, id))
    .returning(letterColumns);
  return row ?? letter;
}

export async function deleteCoverLetter(tx: Tx, id: string) {
  const deleted = await tx.delete(coverLetters).where(eq(coverLetters.id, id)).returning({ id: coverLetters.id });
  if (deleted.length === 0) throw new AppError('COVER_LETTER_NOT_FOUND');
}
