import type { Rule, RulePreview, Severity } from '../../../shared/api/alerts';
import type { AlertService } from '../alerts/alert-service';
import { fingerprintOf, type LabelSet } from '../alerts/labels';
import type { Clock } from '../platform/clock';
import type { MetricStore } from '../monitoring/metric-store';
import type { Level, PendingConditions } from './pending-conditions';
import type { RuleService } from './rule-service';

export type { Level } from './pending-conditions';
const RANK = { none: 0, warning: 1, critical: 2 } as const;
const rank = (l: Level | null) => RANK[l ?? 'none'];

function breaches(rule: Rule, value: number, threshold: number, margin: number): boolean {
  return rule.comparison === 'gt' ? value > threshold - margin : value < threshold + margin;
}

/**
 * The level a value reaches. Hysteresis: a level already firing holds until the value is back past
 * its threshold by `hysteresis`, so a value hovering at the line does not flap.
 */
export function levelOf(rule: Rule, value: number, current: Level | null): Level | null {
  if (rule.critical !== null && breaches(rule, value, rule.critical, current === 'critical' ? rule.hysteresis : 0)) return 'critical';
  if (rule.warning !== null && breaches(rule, value, rule.warning, current ? rule.hysteresis : 0)) return 'warning';
  // A critical-only rule whose value is within the margin keeps firing.
  return null;
}

function aggregate(kind: Exclude<Rule['aggregation'], 'none'>, values: number[]): number {
  switch (kind) {
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'count':
      return values.length;
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
  }
}

export function ruleFingerprint(ruleId: string, labels: LabelSet): string {
  return fingerprintOf(`rule:${ruleId}`, labels);
}

function render(template: string, rule: Rule, value: number, threshold: number | null, labels: LabelSet): string {
  const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Number(n.toPrecision(3)).toString());
  return template
    .replace(/\{value\}/g, fmt(value))
    .replace(/\{threshold\}/g, threshold === null ? '' : fmt(threshold))
    .replace(/\{labels\.([A-Za-z0-9_]+)\}/g, (_, k: string) => labels[k] ?? '')
    .replace(/\{name\}/g, rule.name);
}

/**
 * Evaluates every enabled rule against the latest value of each matching series: a level must hold
 * for the rule's `for` duration before it fires (or escalates to critical); clearing resolves the
 * alert, lowering downgrades it. Pending conditions are stored (PendingConditions), so a restart
 * continues a `for` wait where it was.
 */
export class RuleEvaluator {
  constructor(
    private readonly rules: RuleService,
    private readonly pending: PendingConditions,
    private readonly store: MetricStore,
    private readonly alerts: AlertService,
    private readonly clock: Clock,
    /** Samples older than this are "no data" and neither fire nor clear. */
    private readonly staleAfterMs: () => number,
  ) {}

  /** The series a draft condition matches now and the level each would reach (no `for` wait, no hysteresis). */
  preview(draft: Pick<Rule, 'metric' | 'labels' | 'comparison' | 'warning' | 'critical'> & Partial<Pick<Rule, 'aggregation' | 'groupBy'>>): RulePreview {
    const rule = { aggregation: 'none', groupBy: [], ...draft, hysteresis: 0 } as Rule;
    const series = this.matching(rule).map((s) => ({ labels: s.labels, value: s.value, level: levelOf(rule, s.value, null) }));
    return { evaluatedAt: this.clock.now(), series: series.sort((a, b) => rank(b.level) - rank(a.level)) };
  }

  /** The matching series, or with an aggregation one value per group of them (labels: the groupBy ones). */
  private matching(rule: Pick<Rule, 'metric' | 'labels' | 'aggregation' | 'groupBy'>): { labels: LabelSet; value: number }[] {
    const series = this.store.current(rule.metric, this.staleAfterMs()).filter((s) => Object.entries(rule.labels).every(([k, v]) => s.labels[k] === v));
    if (!rule.aggregation || rule.aggregation === 'none') return series;
    const groups = new Map<string, { labels: LabelSet; values: number[] }>();
    for (const s of series) {
      const labels = Object.fromEntries((rule.groupBy ?? []).filter((k) => s.labels[k] !== undefined).map((k) => [k, s.labels[k]!]));
      const key = JSON.stringify(labels);
      const g = groups.get(key) ?? { labels, values: [] };
      g.values.push(s.value);
      groups.set(key, g);
    }
    const kind = rule.aggregation;
    return [...groups.values()].map((g) => ({ labels: g.labels, value: aggregate(kind, g.values) }));
  }

  async evaluate(): Promise<{ fired: number; resolved: number }> {
    const now = this.clock.now();
    await this.pending.load(now);
    const rules = await this.rules.list();
    const open = new Map((await this.alerts.openByRule()).map((a) => [a.fingerprint, a]));
    const stats = { fired: 0, resolved: 0 };
    const toResolve: string[] = [];
    const activeRuleIds = new Set<string>();
    for (const rule of rules) {
      if (!rule.enabled) continue;
      activeRuleIds.add(rule.id);
      const series = this.matching(rule);
      for (const s of series) {
        const fp = ruleFingerprint(rule.id, s.labels);
        const alert = open.get(fp);
        const current = alert ? ((alert.annotations.level as Level | undefined) ?? 'warning') : null;
        const target = levelOf(rule, s.value, current);
        if (target === current) {
          this.pending.clear(fp);
          // Keep "last value" current without a feed entry per evaluation.
          if (alert && alert.value !== s.value) await this.alerts.touch(alert.id, s.value);
          continue;
        }
        if (rank(target) > rank(current)) {
          const since = this.pending.observe(fp, rule.id, target!, now);
          if (now - since < rule.forSeconds * 1000) continue;
          this.pending.clear(fp);
        } else {
          this.pending.clear(fp);
          if (target === null) {
            toResolve.push(fp);
            continue;
          }
        }
        const threshold = target === 'critical' ? rule.critical : rule.warning;
        const severity: Severity = target === 'critical' ? rule.criticalSeverity : rule.warningSeverity;
        const [outcome] = await this.alerts.raise([
          {
            source: 'rule',
            scope: `rule:${rule.id}`,
            fingerprint: fp,
            ruleId: rule.id,
            name: rule.name,
            severity,
            summary: render(rule.summary, rule, s.value, threshold, s.labels),
            labels: { ...s.labels, metric: rule.metric },
            annotations: { level: target!, threshold: String(threshold), comparison: rule.comparison },
            value: s.value,
          },
        ]);
        if (outcome?.kind === 'fired') stats.fired++;
      }
    }
    this.pending.retainRules(activeRuleIds);
    await this.pending.flush();
    // Alerts of rules that were disabled or deleted clear too.
    for (const a of open.values()) if (a.ruleId && !activeRuleIds.has(a.ruleId)) toResolve.push(a.fingerprint);
    const resolved = await this.alerts.resolveFingerprints(toResolve, 'condition cleared');
    stats.resolved = resolved.length;
    return stats;
  }
}
