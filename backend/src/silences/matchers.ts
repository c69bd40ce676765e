import { RE2JS } from 're2js';
import type { Matcher } from '../../../shared/api/alerts';
import { AppError } from '../platform/http/errors';
import type { LabelSet } from '../alerts/labels';

/**
 * Anchored like Alertmanager's matchers (a regex must match the whole label value) and with its
 * RE2 semantics: linear-time matching, so a catastrophic-backtracking pattern cannot stall the
 * server; what RE2 lacks (backreferences, lookaround) is refused.
 */
export function compileMatcher(m: Matcher): (labels: LabelSet) => boolean {
  const value = (labels: LabelSet) => labels[m.name] ?? '';
  if (!m.isRegex) return (labels) => (value(labels) === m.value) === m.isEqual;
  const re = compileRegex(m.value, m.name);
  return (labels) => re.matches(value(labels)) === m.isEqual;
}

/** An RE2 pattern; `matches` tests the whole input. */
export function compileRegex(source: string, name: string): RE2JS {
  try {
    return RE2JS.compile(source);
  } catch (err) {
    throw new AppError('unprocessable', `matcher ${name}: invalid regular expression: ${(err as Error).message}`);
  }
}

export function matchesAll(matchers: ((l: LabelSet) => boolean)[], labels: LabelSet): boolean {
  return matchers.every((m) => m(labels));
}
