import { createHash } from 'node:crypto';

export type LabelSet = Record<string, string>;

/** Sorted-key JSON, so equal label sets are equal strings (series keys, fingerprints, storage). */
export function canonicalLabels(labels: LabelSet): string {
  const sorted: LabelSet = {};
  for (const k of Object.keys(labels).sort()) sorted[k] = labels[k]!;
  return JSON.stringify(sorted);
}

/** Dedup key: the same source + identity + labels always gives the same fingerprint. */
export function fingerprintOf(scope: string, labels: LabelSet): string {
  return createHash('sha256').update(`${scope}\n${canonicalLabels(labels)}`).digest('hex').slice(0, 24);
}

export function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
