import { z } from 'zod';
import { defineTask, noPayload } from '../../tasks/task.ts';
import { finishAbandonedLetters, writeQueuedLetter } from './cover-letters.service.ts';

/**
 * Enqueued with a pending letter, in the request's transaction, when a model is configured. A run that
 * throws (the database went away) is retried; a model that fails or times out is not an error here: the
 * built-in writer completes the letter instead. The queue itself is created by migration 0022.
 */
export const coverLetterTask = defineTask<{ letterId: string; userId: string }>({
  name: 'cover-letter',
  summary: 'Write a pending cover letter with the configured language model (grounded; built-in writer as fallback)',
  schema: z.object({ letterId: z.uuid(), userId: z.uuid() }),
  retry: { limit: 3, delaySeconds: 10 },
  async run({ db, config }, payload) {
    return writeQueuedLetter(db, config, payload);
  },
});

/**
 * Every minute: pending letters whose cover-letter task gave up for good (retries spent, expired,
 * cancelled) are completed by the built-in writer, or failed, with the use given back, so no letter stays
 * pending for ever (docs/decisions/021-queued-cover-letters.md).
 */
export const coverLetterSweepTask = defineTask<void>({
  name: 'cover-letter-sweep',
  summary: 'Finish pending cover letters whose writing task failed on every retry (built-in writer, not billed)',
  schema: noPayload,
  schedule: '* * * * *',
  async run({ db }) {
    return finishAbandonedLetters(db);
  },
});
