import { z } from 'zod';
import { defineTask } from '../../tasks/task.ts';
import { writeQueuedLetter } from './cover-letters.service.ts';

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
