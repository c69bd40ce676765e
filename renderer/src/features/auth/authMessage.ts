import { ApiError, errorMessage } from '../../api';

/** Clear words for the errors a person can act on. */
export function authMessage(e: unknown): string {
  if (e instanceof ApiError) {
    switch (e.code) {
      case 'invalid_credentials':
        return 'Wrong email or password.';
      case 'locked':
        return `This account is temporarily locked after too many failed attempts. ${e.message}`;
      case 'rate_limited':
        return 'Too many attempts. Wait a minute and try again.';
      case 'server_unreachable':
      case 'offline':
        return `The server cannot be reached. Check the address and your network. (${e.message})`;
      case 'not_opsdesk_server':
        return `That address answers, but not like an OpsDesk server. (${e.message})`;
      case 'invalid_request':
      case 'validation_failed':
        return e.message;
    }
  }
  return errorMessage(e);
}
