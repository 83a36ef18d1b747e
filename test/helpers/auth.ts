import type { Db } from '../../src/db/client.ts';
import { inWork } from '../../src/db/context.ts';
import { createSession } from '../../src/modules/auth/sessions.ts';
import { createUser } from './factories.ts';

type NewUserValues = Parameters<typeof createUser>[1];

/** A user with a live session: pass `headers` to `app.inject` to call the API as them. */
export async function signedInUser(db: Db, values: NewUserValues = {}) {
  const user = await createUser(db, values);
  const { token, sessionId } = await inWork(db, { kind: 'user', userId: user.id }, (w) =>
    createSession(w.tx, { userId: user.id }),
  );
  return { user, token, sessionId, headers: { authorization: `Bearer ${token}` } };
}

export const signedInAdmin = (db: Db, values: NewUserValues = {}) => signedInUser(db, { role: 'admin', ...values });
