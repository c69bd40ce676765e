import { RE2JS } from 're2js';
import type { Alert, BulkSilenceRequest, BulkSilenceResult, Matcher } from '../../../shared/api/alerts';
import type { Actor } from '../audit/audit-log';
import { ACTIVE, matchLabels, toAlert } from '../alerts/alert-model';
import type { LabelSet } from '../alerts/labels';
import type { Clock } from '../platform/clock';
import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/schema';
import { AppError } from '../platform/http/errors';
import { compileMatcher, matchesAll } from './matchers';
import type { SilenceService } from './silence-service';

const MAX_MATCHERS = 32;

/** Every label the alert is matched on, exactly (alertname first): a silence of this one alert. */
export function matchersForAlert(labels: LabelSet): Matcher[] {
  const names = Object.keys(labels).sort((a, b) => (a === 'alertname' ? -1 : b === 'alertname' ? 1 : a.localeCompare(b)));
  return names.slice(0, MAX_MATCHERS).map((name) => ({ name, value: labels[name]!, isRegex: false, isEqual: true }));
}

/**
 * One set of matchers every given alert satisfies: each label all of them carry, equal when they
 * agree, else an RE2 alternation of their (quoted) values. alertname and severity are always common.
 */
export function coveringMatchers(all: LabelSet[]): Matcher[] {
  const common = Object.keys(all[0] ?? {}).filter((name) => all.every((l) => name in l));
  const ordered = matchersForAlert(Object.fromEntries(common.map((n) => [n, ''])));
  return ordered.map(({ name }) => {
    const values = [...new Set(all.map((l) => l[name]!))].sort();
    return values.length === 1 ? { name, value: values[0]!, isRegex: false, isEqual: true } : { name, value: values.map((v) => RE2JS.quote(v)).join('|'), isRegex: true, isEqual: true };
  });
}

/** Silences a selection of alerts (a dry run proposes the matchers and answers what they would mute). */
export async function bulkSilence(db: Kysely<Database>, clock: Clock, silences: SilenceService, actor: Actor, req: BulkSilenceRequest): Promise<BulkSilenceResult> {
  const ids = [...new Set(req.ids)];
  const rows = await db.selectFrom('alerts').selectAll().where('id', 'in', ids).execute();
  const failed: BulkSilenceResult['failed'] = [];
  for (const id of ids) {
    const row = rows.find((r) => r.id === id);
    if (!row) failed.push({ id, error: 'not_found', message: 'Alert not found' });
    else if (!ACTIVE.includes(row.status)) failed.push({ id, error: 'conflict', message: 'the alert is resolved: there is nothing to silence' });
  }
  const open = rows.filter((r) => ACTIVE.includes(r.status)).map(toAlert);
  if (open.length === 0) throw new AppError('unprocessable', 'none of the selected alerts is open');
  const labelsOf = (a: Alert) => matchLabels({ name: a.name, severity: a.severity, labels: a.labels });
  const sets = req.mode === 'cover' ? [coveringMatchers(open.map(labelsOf))] : open.map((a) => matchersForAlert(labelsOf(a)));

  // What else the matchers catch: the open alerts outside the selection.
  const compiled = sets.map((m) => m.map(compileMatcher));
  const others = await db.selectFrom('alerts').select(['id', 'name', 'severity', 'labels']).where('status', 'in', ACTIVE).where('id', 'not in', ids).limit(20_000).execute();
  const alsoMutes = others
    .filter((o) => compiled.some((m) => matchesAll(m, matchLabels({ name: o.name, severity: o.severity, labels: JSON.parse(o.labels) as LabelSet }))))
    .map((o) => ({ id: o.id, name: o.name }));
  if (req.dryRun) return { silences: [], matchers: sets, alerts: open, alsoMutes, failed };

  const now = clock.now();
  const created = [];
  for (const matchers of sets) created.push(await silences.create(actor, { matchers, startsAt: now, endsAt: now + req.durationMinutes * 60_000, comment: req.comment }));
  const after = await db.selectFrom('alerts').selectAll().where('id', 'in', open.map((a) => a.id)).execute();
  return { silences: created, matchers: sets, alerts: after.map(toAlert), alsoMutes, failed };
}
