import { z } from 'zod';

/**
 * Every invoke answers `{ ok: true, value }` or `{ ok: false, error }`: errors are values at the
 * IPC boundary, so the renderer never has to guess what a rejected promise carries.
 */
export const IPC_ERROR_CODES = [
  'invalid_request', // the payload failed the channel's zod schema
  'unknown_channel',
  'not_signed_in',
  'session_revoked', // refresh token rejected: sign in again; unsynced work is kept
  'mfa_required',
  'invalid_credentials',
  'locked',
  'rate_limited',
  'offline', // an online-only call while the server is unreachable
  'server_unreachable',
  'not_opsdesk_server', // the URL answers, but not like an OpsDesk server
  'forbidden',
  'not_found',
  'conflict',
  'validation_failed', // the server rejected the input (details carry its message)
  'not_supported', // e.g. the server has no such route yet
  'internal',
] as const;
export const IpcErrorCode = z.enum(IPC_ERROR_CODES);
export type IpcErrorCode = z.infer<typeof IpcErrorCode>;

export const IpcError = z.object({
  code: IpcErrorCode,
  message: z.string(),
  /** For invalid_request: the zod issues; for server errors: the server's error body. */
  details: z.unknown().optional(),
});
export type IpcError = z.infer<typeof IpcError>;

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export const ok = <T>(value: T): IpcResult<T> => ({ ok: true, value });
export const fail = (code: IpcErrorCode, message: string, details?: unknown): IpcResult<never> => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details },
});
