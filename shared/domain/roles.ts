import { z } from 'zod';

/** Roles nest: admin ⊇ oncall ⊇ agent. */
export const ROLES = ['agent', 'oncall', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { agent: 0, oncall: 1, admin: 2 };

export function hasRole(actual: Role, required: Role): boolean {
  return RANK[actual] >= RANK[required];
}

export const Role = z.enum(ROLES);

/** What an API token may do (tokens carry scopes, not roles). */
export const API_TOKEN_SCOPES = ['read', 'write', 'alerts:ingest', 'heartbeat'] as const;
export const ApiTokenScope = z.enum(API_TOKEN_SCOPES);
export type ApiTokenScope = z.infer<typeof ApiTokenScope>;

/** The least role a token's carrier must hold for each scope (the roles of the routes that accept it). */
export const SCOPE_MIN_ROLE: Record<ApiTokenScope, Role> = { read: 'agent', write: 'agent', 'alerts:ingest': 'oncall', heartbeat: 'oncall' };

/** The role a token acts with: the least one that covers all its scopes, never its creator's whole role. */
export function tokenRole(scopes: readonly ApiTokenScope[]): Role {
  return scopes.reduce<Role>((acc, s) => (hasRole(acc, SCOPE_MIN_ROLE[s]) ? acc : SCOPE_MIN_ROLE[s]), 'agent');
}

/** A token lives this long unless its creator picks another lifetime or, explicitly, "never". */
export const DEFAULT_API_TOKEN_LIFETIME_DAYS = 90;

/** Why a token stopped working before its expiry. */
export const API_TOKEN_REVOKE_REASONS = ['manual', 'creator_disabled', 'creator_demoted'] as const;
export const ApiTokenRevokeReason = z.enum(API_TOKEN_REVOKE_REASONS);
export type ApiTokenRevokeReason = z.infer<typeof ApiTokenRevokeReason>;
