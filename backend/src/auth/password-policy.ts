import { AppError } from '../platform/http/errors';

const COMMON = new Set([
  'password', 'password1', 'password123', '123456789012', 'qwertyuiop', 'letmein', 'welcome', 'admin', 'administrator',
  'changeme', 'iloveyou', 'passw0rd', 'opsdesk', 'helpdesk', 'qwerty123456', '111111111111', 'abc123456789',
]);

/** Rejects weak passwords with one message saying what to change. */
export function assertStrongPassword(password: string, minLength: number, email?: string): void {
  const fail = (why: string) => {
    throw new AppError('weak_password', `Password is too weak: ${why}`);
  };
  if (password.length < minLength) fail(`use at least ${minLength} characters`);
  if (new Set(password).size < 4) fail('use more different characters');
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || COMMON.has(lower.replace(/[\d!?.]+$/, ''))) fail('it is a commonly used password');
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) fail('do not include your email name');
}
