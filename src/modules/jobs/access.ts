/** Who may read and who may change the job catalogue, for every jobs route. */
import type { FastifyRequest } from 'fastify';
import type { DbActor } from '../../db/context.ts';
import { actorOf, requireAdmin, requireScope } from '../../http/auth.ts';

/** Anyone may read the catalogue; an API key needs the jobs:read scope. */
export function catalogueReader(request: FastifyRequest): DbActor {
  if (request.auth?.via === 'apiKey') requireScope(request, 'jobs:read');
  return actorOf(request.auth);
}

/** Changing the catalogue: an administrator, and through an API key only with jobs:write. */
export function catalogueWriter(request: FastifyRequest): DbActor {
  requireScope(request, 'jobs:write');
  return actorOf(requireAdmin(request));
}
