import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UserPublic } from '../../../shared/api/auth';
import { IdParams } from '../../../shared/api/common';
import { CreateUserRequest, UpdateUserRequest } from '../../../shared/api/users';
import type { AppContext } from '../context';
import { actorOf } from '../http/guards';

/** Admins manage accounts. */
export function userRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const admin = ctx.guard({ role: 'admin' });

    app.get('/users', { preHandler: admin, schema: { tags: ['users'], response: { 200: z.array(UserPublic) } } }, () => ctx.userService.list());

    app.get('/users/:id', { preHandler: admin, schema: { tags: ['users'], params: IdParams, response: { 200: UserPublic } } }, (req) =>
      ctx.userService.get(req.params.id),
    );

    app.post('/users', { preHandler: admin, schema: { tags: ['users'], body: CreateUserRequest, response: { 201: UserPublic } } }, async (req, reply) =>
      reply.code(201).send(await ctx.userService.create(actorOf(req), req.body)),
    );

    app.patch('/users/:id', { preHandler: admin, schema: { tags: ['users'], params: IdParams, body: UpdateUserRequest, response: { 200: UserPublic } } }, (req) =>
      ctx.userService.update(actorOf(req), req.params.id, req.body),
    );

    app.post('/users/:id/reset-mfa', { preHandler: admin, schema: { tags: ['users'], params: IdParams, response: { 200: UserPublic } } }, (req) =>
      ctx.userService.resetMfa(actorOf(req), req.params.id),
    );
  };
}
