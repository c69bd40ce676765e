import { z } from 'zod';
import { Email, Id, Timestamp } from './common';
import { API_TOKEN_SCOPES, ApiTokenScope, Role } from '../domain/roles';
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
export { API_TOKEN_SCOPES, ApiTokenScope } from '../domain/roles';

export const CreateApiTokenRequest = z.object({
  name: z.string().trim().min(1).max(120),
  scopes: z.array(ApiTokenScope).min(1).max(API_TOKEN_SCOPES.length),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

export const ApiTokenInfo = z.object({
  id: Id,
  name: z.string(),
  scopes: z.array(ApiTokenScope),
  createdBy: Id,
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
  expiresAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
});
export type ApiTokenInfo = z.infer<typeof ApiTokenInfo>;

export const CreatedApiToken = ApiTokenInfo.extend({ token: z.string().describe('shown once') });
