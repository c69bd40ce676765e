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
