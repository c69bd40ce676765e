import { z } from 'zod';
import { IdParams } from '../common';
import { AddQueueMemberRequest, CreateQueueRequest, Queue, QueueMemberParams, UpdateQueueRequest } from '../queues';
import { defineRoutes } from '../route';

const agent = { role: 'agent' } as const;
const admin = { role: 'admin' } as const;

/** Queues: agents list theirs, admins manage queues and members. */
export const QUEUE_ROUTES = defineRoutes('queues', {
  'queues.list': { method: 'GET', path: '/queues', summary: 'The queues the caller may see', access: agent, response: z.array(Queue) },
  'queues.get': { method: 'GET', path: '/queues/:id', access: agent, params: IdParams, response: Queue },
  'queues.create': { method: 'POST', path: '/queues', access: admin, body: CreateQueueRequest, status: 201, response: Queue },
  'queues.update': { method: 'PATCH', path: '/queues/:id', access: admin, params: IdParams, body: UpdateQueueRequest, response: Queue },
  'queues.members.add': { method: 'POST', path: '/queues/:id/members', access: admin, params: IdParams, body: AddQueueMemberRequest, response: Queue },
  'queues.members.remove': { method: 'DELETE', path: '/queues/:id/members/:userId', access: admin, params: QueueMemberParams, response: Queue },
});
