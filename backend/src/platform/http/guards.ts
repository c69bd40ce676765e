import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { ApiTokenScope } from '../../../../shared/api/users';
import { hasRole, type Role } from '../../../../shared/domain/roles';
import type { ApiTokenService } from '../../api-tokens/api-token-service';
import { API_TOKEN_PREFIX } from '../../api-tokens/api-token-service';
import type { Actor } from '../../audit/audit-log';
import type { AuthService, ClientMeta, Principal } from '../../auth/auth-service';
import { AppError } from './errors';
import type { IdempotencyStore } from './idempotency';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new AppError('unauthorized', 'Authorization header must be "Bearer <token>"');
  return match[1];
}

export function clientMeta(request: FastifyRequest): ClientMeta {
  const ua = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof ua === 'string' ? ua : null };
}

export function actorOf(request: FastifyRequest): Actor & { id: string } {
  const p = principalOf(request);
  return { id: p.userId, email: p.email, ip: request.ip ?? null };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthorized', 'Sign in first');
  return request.principal;
}

export interface GuardOptions {
  /** Minimum role; admin ⊇ oncall ⊇ agent. */
  role?: Role;
  /** API tokens are refused unless the route names the scope they need. */
  scope?: ApiTokenScope;
}

/** Builds the preHandlers that authenticate a request and check its role (or token scope). */
export function makeGuard(auth: AuthService, apiTokens: ApiTokenService, idempotency: IdempotencyStore) {
  return function guard(options: GuardOptions = {}): preHandlerAsyncHookHandler {
    return async (request: FastifyRequest, reply: FastifyReply) => {
      await authenticate(request, options);
      // Writes carrying an Idempotency-Key are answered from the store when replayed.
      if (await idempotency.begin(request, reply, principalKey(request.principal!))) return reply;
    };
  };

  async function authenticate(request: FastifyRequest, options: GuardOptions): Promise<void> {
    const token = bearerToken(request);
    if (!token) throw new AppError('unauthorized', 'Sign in first: send an access token');
    const principal = token.startsWith(API_TOKEN_PREFIX) ? await apiTokens.authenticate(token, request.ip ?? null) : await auth.authenticateAccessToken(token);
    authorize(principal, options);
    request.principal = principal;
  }
}

/** Whether an authenticated caller may use a route: API tokens need the scope it names, everyone its role. */
export function authorize(principal: Principal, options: GuardOptions): void {
  if (principal.kind === 'token' && (!options.scope || !principal.scopes?.includes(options.scope))) {
    throw new AppError('forbidden', options.scope ? `API token lacks the ${options.scope} scope` : 'API tokens cannot use this route');
  }
  if (options.role && !hasRole(principal.role, options.role)) throw new AppError('forbidden', `Requires the ${options.role} role`);
}

/** The idempotency store's name of a caller. */
export function principalKey(p: Principal): string {
  return p.kind === 'token' ? `token:${p.tokenId}` : `user:${p.userId}`;
}

export type Guard = ReturnType<typeof makeGuard>;
