import type { VerifiedTargets } from './contact-methods';

/**
 * Where one person is paged on one channel: their desktop by user id; email to the sign-in address
 * and every verified email method; SMS to every verified phone. An unverified method is never a target.
 */
export function pageTargets(channel: string, person: { id: string; email: string }, verified: Map<string, VerifiedTargets>): string[] {
  if (channel === 'desktop') return [person.id];
  const v = verified.get(person.id);
  if (channel === 'email') return [...new Set([person.email, ...(v?.email ?? [])])];
  if (channel === 'sms') return v?.phone ?? [];
  return [];
}
