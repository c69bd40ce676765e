import type { Matcher } from '../../../shared/api/alerts';
import { AppError } from '../platform/http/errors';
import type { LabelSet } from '../alerts/labels';

/** Anchored like Alertmanager's matchers: a regex must match the whole label value. */
export function compileMatcher(m: Matcher): (labels: LabelSet) => boolean {
  const value = (labels: LabelSet) => labels[m.name] ?? '';
  if (!m.isRegex) return (labels) => (value(labels) === m.value) === m.isEqual;
  const re = compileRegex(m.value, m.name);
  return (labels) => re.test(value(labels)) === m.isEqual;
}

export function compileRegex(source: string, name: string): RegExp {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch (err) {
    throw new AppError('unprocessable', `matcher ${name}: invalid regular expression: ${(err as Error).message}`);
  }
}

export function matchesAll(matchers: ((l: LabelSet) => boolean)[], labels: LabelSet): boolean {
  return matchers.every((m) => m(labels));
}
