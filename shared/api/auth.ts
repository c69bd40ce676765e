import { z } from 'zod';
import { Email, Id, Timestamp } from './common';
import { Role } from '../domain/roles';

export const PASSWORD_MAX_LENGTH = 256;

export const UserPublic = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  role: Role,
  disabled: z.boolean(),
  mfaEnabled: z.boolean(),
  createdAt: Timestamp,
});
export type UserPublic = z.infer<typeof UserPublic>;

export const LoginRequest = z.object({
  email: Email,
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const TokenPair = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  accessTokenExpiresAt: Timestamp,
  user: UserPublic,
});
export type TokenPair = z.infer<typeof TokenPair>;

export const MfaChallenge = z.object({
  mfaRequired: z.literal(true),
  mfaToken: z.string(),
});
export type MfaChallenge = z.infer<typeof MfaChallenge>;

export const LoginResponse = z.union([TokenPair, MfaChallenge]);
export type LoginResponse = z.infer<typeof LoginResponse>;

export const MfaLoginRequest = z.object({
  mfaToken: z.string().min(1).max(4096),
  /** A 6-digit TOTP code or a one-time recovery code. */
  code: z.string().trim().min(6).max(32),
});
export type MfaLoginRequest = z.infer<typeof MfaLoginRequest>;

export const RefreshRequest = z.object({ refreshToken: z.string().min(1).max(512) });
export type RefreshRequest = z.infer<typeof RefreshRequest>;

export const LogoutRequest = z.object({ refreshToken: z.string().min(1).max(512).optional() });

export const MfaEnrolRequest = z.object({ currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH) });
export type MfaEnrolRequest = z.infer<typeof MfaEnrolRequest>;

export const MfaEnrolment = z.object({ secret: z.string(), otpauthUri: z.string() });
export type MfaEnrolment = z.infer<typeof MfaEnrolment>;

export const MfaConfirmRequest = z.object({ code: z.string().trim().regex(/^\d{6}$/, 'code must be 6 digits') });
export const MfaConfirmResponse = z.object({ recoveryCodes: z.array(z.string()) });

export const ChangePasswordRequest = z.object({
  currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  newPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

/** The desktop's report that its tokens sit in the keychain fallback (audited: `desktop.secret_store_fallback`). */
export const SecretStorageReport = z.object({
  kind: z.literal('encrypted-file'),
  osProtected: z.boolean(),
  reason: z.string().max(300).nullable(),
});
export type SecretStorageReport = z.infer<typeof SecretStorageReport>;

export const SessionInfo = z.object({
  id: Id,
  createdAt: Timestamp,
  lastUsedAt: Timestamp,
  expiresAt: Timestamp,
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;
