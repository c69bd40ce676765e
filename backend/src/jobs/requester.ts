import type { FastifyRequest } from 'fastify';
import { actorOf, principalOf } from '../platform/http/guards';
import type { Role } from '../../../shared/domain/roles';
import type { Requester } from './job-service';

/** Who asks for a job over HTTP: the actor with the role the job service checks. */
export function requesterOf(req: FastifyRequest): Requester & { role: Role } {
  return { ...actorOf(req), role: principalOf(req).role };
}
