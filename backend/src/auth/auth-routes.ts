import { AUTH_ROUTES } from '../../../shared/api/routes/auth';
import type { Services } from '../app/services';
import { notFound } from '../platform/http/errors';
import { actorOf, clientMeta, principalOf } from '../platform/http/guards';
import { routePlugin } from '../platform/http/route-table';
import { toUserPublic } from '../users/user-repository';

/** Sign-in (rate-limited per IP) and the signed-in user's own account. */
export function authRoutes(s: Pick<Services, 'guard' | 'config' | 'auth' | 'users' | 'audit'>) {
  const loginLimit = { fastify: { config: { rateLimit: { max: s.config.LOGIN_IP_MAX_PER_MINUTE, timeWindow: '1 minute' } } } };
  return routePlugin(AUTH_ROUTES, s.guard, {
    'auth.login': { handler: (req) => s.auth.login(req.body.email, req.body.password, clientMeta(req)), options: loginLimit },
    'auth.login.mfa': { handler: (req) => s.auth.completeMfa(req.body.mfaToken, req.body.code, clientMeta(req)), options: loginLimit },
    'auth.refresh': { handler: (req) => s.auth.refresh(req.body.refreshToken, clientMeta(req)), options: loginLimit },
    'auth.me.secretStorage': async (req) => {
      const actor = actorOf(req);
      await s.audit.record(actor, { action: 'desktop.secret_store_fallback', targetType: 'user', targetId: actor.id, details: { ...req.body, userAgent: clientMeta(req).userAgent } });
    },
    'auth.logout': async (req) => {
      await s.auth.logout(principalOf(req), req.body?.refreshToken, clientMeta(req));
    },
    'auth.me.get': async (req) => {
      const user = await s.users.byId(principalOf(req).userId);
      if (!user) throw notFound('User');
      return toUserPublic(user);
    },
    'auth.password.change': async (req) => {
      await s.auth.changePassword(principalOf(req), req.body.currentPassword, req.body.newPassword, clientMeta(req));
    },
    'auth.mfa.enrol': (req) => s.auth.beginMfaEnrolment(principalOf(req), req.body.currentPassword),
    'auth.mfa.confirm': async (req) => ({ recoveryCodes: await s.auth.confirmMfaEnrolment(principalOf(req), req.body.code, clientMeta(req)) }),
    'auth.sessions.list': (req) => s.auth.listSessions(principalOf(req)),
    'auth.sessions.revoke': async (req) => {
      await s.auth.revokeSession(principalOf(req), req.params.id, clientMeta(req));
    },
  });
}
