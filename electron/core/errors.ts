import type { IpcError, IpcErrorCode } from '../../shared/ipc';

/** A failure the renderer should see as a typed IPC error. */
export class CoreError extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'CoreError';
  }

  toIpc(): IpcError {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }
}

export const notSignedIn = () => new CoreError('not_signed_in', 'Sign in first');
