/**
 * Password-reset requests answer before doing the work (issue 11, item 12). The request only enqueues
 * this task, in its own transaction, with the identifier as given: the same statements whether or not
 * an account uses it, so neither the answer nor its timing says which. The task then looks the account
 * up and sends the link or code (`sendPasswordReset`).
 */
import { z } from 'zod';
import type { Work } from '../../db/context.ts';
import { randomToken, sha256Hex } from '../../lib/tokens.ts';
import { enqueue } from '../../tasks/queue.ts';
import { defineTask } from '../../tasks/task.ts';
import { sendPasswordReset } from './recovery.service.ts';

export const passwordResetTask = defineTask({
  name: 'password-reset',
  summary: 'Send the reset link or code a password-reset request asked for, if an account uses the identifier',
  schema: z.object({ identifier: z.string().max(320), requestHash: z.string().regex(/^[0-9a-f]{64}$/) }),
  retry: { limit: 3, delaySeconds: 30 },
  async run({ db, config, now }, { identifier, requestHash }) {
    return { sent: (await sendPasswordReset(db, config, identifier, requestHash, now)) ? 1 : 0 };
  },
});

/**
 * Takes a reset request in the caller's unit of work and answers with an opaque request id, whatever
 * the identifier: an SMS code is confirmed together with it (item 4), so only the requester's guesses
 * count against that code.
 */
export async function requestPasswordReset(work: Work, identifier: string): Promise<{ requestId: string }> {
  const requestId = randomToken();
  await enqueue(work.tx, passwordResetTask, { identifier, requestHash: sha256Hex(requestId) });
  return { requestId };
}
