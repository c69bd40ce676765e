import { z } from 'zod';
import { Email, Id, Timestamp } from './common';
import { API_TOKEN_SCOPES, ApiTokenRevokeReason, ApiTokenScope, DEFAULT_API_TOKEN_LIFETIME_DAYS, Role } from '../domain/roles';
import { PASSWORD_MAX_LENGTH } from './auth';

export const UserName = z.string().trim().min(1).max(120);

export const CreateUserRequest = z.object({
  email: Email,
  name: UserName,
  role: Role,
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

export const UpdateUserRequest = z
  .object({ name: UserName, role: Role, disabled: z.boolean() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

// Declared once in shared/domain; re-exported for the existing importers.
export { API_TOKEN_SCOPES, ApiTokenRevokeReason, ApiTokenScope, DEFAULT_API_TOKEN_LIFETIME_DAYS } from '../domain/roles';

export const CreateApiTokenRequest = z.object({
  name: z.string().trim().min(1).max(120),
  scopes: z.array(ApiTokenScope).min(1).max(API_TOKEN_SCOPES.length),
  /** Days until the token expires; "never" only by explicit choice (the admin screen warns). */
  expiresInDays: z
    .union([z.number().int().min(1).max(3650), z.literal('never')])
    .default(DEFAULT_API_TOKEN_LIFETIME_DAYS),
});
export type CreateApiTokenRequest = z.input<typeof CreateApiTokenRequest>;

export const ApiTokenInfo = z.object({
  id: Id,
  name: z.string(),
  scopes: z.array(ApiTokenScope),
  createdBy: Id,
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
  expiresAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
  revokedReason: ApiTokenRevokeReason.nullable(),
});
export type ApiTokenInfo = z.infer<typeof ApiTokenInfo>;

export const CreatedApiToken = ApiTokenInfo.extend({ token: z.string().describe('shown once') });
