import { z } from 'zod';
import {
  ChangePasswordRequest,
  LoginRequest,
  LoginResponse,
  LogoutRequest,
  MfaConfirmRequest,
  MfaConfirmResponse,
  MfaEnrolment,
  MfaEnrolRequest,
  MfaLoginRequest,
  RefreshRequest,
  SecretStorageReport,
  SessionInfo,
  TokenPair,
  UserPublic,
} from '../auth';
import { IdParams } from '../common';
import { defineRoutes } from '../route';

const signedIn = { role: 'any' } as const;

/** Sign-in and the signed-in user's own account. The token routes belong to the desktop core's session. */
export const AUTH_ROUTES = defineRoutes('auth', {
  'auth.login': { method: 'POST', path: '/auth/login', summary: 'Sign in with email and password (may ask for an MFA code)', access: 'public', body: LoginRequest, response: LoginResponse, client: 'core' },
  'auth.login.mfa': { method: 'POST', path: '/auth/login/mfa', summary: 'Complete a sign-in with the MFA code', access: 'public', body: MfaLoginRequest, response: TokenPair, client: 'core' },
  'auth.refresh': { method: 'POST', path: '/auth/refresh', summary: 'Trade a refresh token for a new token pair', access: 'public', body: RefreshRequest, response: TokenPair, client: 'core' },
  'auth.logout': { method: 'POST', path: '/auth/logout', summary: 'Sign out (revokes the refresh token)', access: signedIn, body: LogoutRequest.optional(), status: 204, client: 'core' },
  'auth.me.get': { method: 'GET', path: '/me', summary: 'The signed-in user', access: signedIn, response: UserPublic },
  'auth.password.change': { method: 'POST', path: '/me/password', access: signedIn, body: ChangePasswordRequest, status: 204 },
  'auth.mfa.enrol': { method: 'POST', path: '/me/mfa/enrol', summary: 'Start MFA enrolment (current password required): a new secret', access: signedIn, body: MfaEnrolRequest, response: MfaEnrolment },
  'auth.mfa.confirm': { method: 'POST', path: '/me/mfa/confirm', summary: 'Confirm MFA enrolment with a code; answers the recovery codes', access: signedIn, body: MfaConfirmRequest, response: MfaConfirmResponse },
  'auth.sessions.list': { method: 'GET', path: '/me/sessions', summary: "The signed-in user's sessions", access: signedIn, response: z.array(SessionInfo) },
  'auth.me.secretStorage': { method: 'POST', path: '/me/secret-storage', summary: 'The desktop keeps its tokens in the keychain fallback (audited)', access: signedIn, body: SecretStorageReport, status: 204, client: 'core' },
  'auth.sessions.revoke': { method: 'DELETE', path: '/me/sessions/:id', access: signedIn, params: IdParams, status: 204 },
});
