import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ChangePasswordRequest,
  LoginRequest,
  LoginResponse,
  LogoutRequest,
  MfaConfirmRequest,
  MfaConfirmResponse,
  MfaEnrolment,
  MfaLoginRequest,
  RefreshRequest,
  SessionInfo,
  TokenPair,
  UserPublic,
} from '../../../shared/api/auth';
import { IdParams } from '../../../shared/api/common';
import type { AppContext } from '../context';
import { clientMeta, principalOf } from '../http/guards';
import { toUserPublic } from '../users/user-repository';
import { notFound } from '../http/errors';

export function authRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const loginLimit = { rateLimit: { max: ctx.config.LOGIN_IP_MAX_PER_MINUTE, timeWindow: '1 minute' } };
  return async (app) => {
    app.post('/auth/login', { config: loginLimit, schema: { tags: ['auth'], body: LoginRequest, response: { 200: LoginResponse } } }, (req) =>
      ctx.auth.login(req.body.email, req.body.password, clientMeta(req)),
    );

    app.post('/auth/login/mfa', { config: loginLimit, schema: { tags: ['auth'], body: MfaLoginRequest, response: { 200: TokenPair } } }, (req) =>
      ctx.auth.completeMfa(req.body.mfaToken, req.body.code, clientMeta(req)),
    );

    app.post('/auth/refresh', { config: loginLimit, schema: { tags: ['auth'], body: RefreshRequest, response: { 200: TokenPair } } }, (req) =>
      ctx.auth.refresh(req.body.refreshToken, clientMeta(req)),
    );

    app.post('/auth/logout', { preHandler: ctx.guard(), schema: { tags: ['auth'], body: LogoutRequest.optional() } }, async (req, reply) => {
      await ctx.auth.logout(principalOf(req), req.body?.refreshToken, clientMeta(req));
      return reply.code(204).send();
    });

    app.get('/me', { preHandler: ctx.guard(), schema: { tags: ['auth'], response: { 200: UserPublic } } }, async (req) => {
      const user = await ctx.users.byId(principalOf(req).userId);
      if (!user) throw notFound('User');
      return toUserPublic(user);
    });

    app.post('/me/password', { preHandler: ctx.guard(), schema: { tags: ['auth'], body: ChangePasswordRequest } }, async (req, reply) => {
      await ctx.auth.changePassword(principalOf(req), req.body.currentPassword, req.body.newPassword, clientMeta(req));
      return reply.code(204).send();
    });

    app.post('/me/mfa/enrol', { preHandler: ctx.guard(), schema: { tags: ['auth'], response: { 200: MfaEnrolment } } }, (req) =>
      ctx.auth.beginMfaEnrolment(principalOf(req)),
    );

    app.post('/me/mfa/confirm', { preHandler: ctx.guard(), schema: { tags: ['auth'], body: MfaConfirmRequest, response: { 200: MfaConfirmResponse } } }, async (req) => ({
      recoveryCodes: await ctx.auth.confirmMfaEnrolment(principalOf(req), req.body.code, clientMeta(req)),
    }));

    app.get('/me/sessions', { preHandler: ctx.guard(), schema: { tags: ['auth'], response: { 200: z.array(SessionInfo) } } }, (req) =>
      ctx.auth.listSessions(principalOf(req)),
    );

    app.delete('/me/sessions/:id', { preHandler: ctx.guard(), schema: { tags: ['auth'], params: IdParams } }, async (req, reply) => {
      await ctx.auth.revokeSession(principalOf(req), req.params.id, clientMeta(req));
      return reply.code(204).send();
    });
  };
}
