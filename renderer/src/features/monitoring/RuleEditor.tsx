import { useEffect, useState } from 'react';
import { CreateRuleRequest, RULE_AGGREGATIONS, type Rule } from '../../../../shared/api/alerts';
import { SEVERITIES } from '../../../../shared/domain/alerts';
import { formatTime } from '../../lib/format';
import { FormDialog } from '../../ui/Dialog';
import { EnumSelect } from '../../ui/EnumSelect';
import { Checkbox, TextField } from '../../ui/form';
import { useAction } from '../../ui/hooks';
import { toast } from '../../ui/toasts';
import { fieldErrors } from '../probes/slice';
import { formatLabels, loadHistory, loadPreview, parseLabels, resetRuleEditor, saveRule, useRuleEditor } from './rules';

function draftOf(r: Rule | null) {
  return {
    name: r?.name ?? '',
    metric: r?.metric ?? '',
    labels: formatLabels(r?.labels ?? {}),
    comparison: r?.comparison ?? ('gt' as const),
    warning: r?.warning == null ? '' : String(r.warning),
    critical: r?.critical == null ? '' : String(r.critical),
    warningSeverity: r?.warningSeverity ?? 'medium',
    criticalSeverity: r?.criticalSeverity ?? 'critical',
    forSeconds: String(r?.forSeconds ?? 0),
    hysteresis: String(r?.hysteresis ?? 0),
    enabled: r?.enabled ?? true,
    summary: r?.summary ?? '',
    aggregation: r?.aggregation ?? 'none',
    groupBy: (r?.groupBy ?? []).join(', '),
  };
}
type Draft = ReturnType<typeof draftOf>;

const level = (v: string) => (v.trim() === '' ? null : Number(v));

function requestOf(d: Draft, labels: Record<string, string>): CreateRuleRequest {
  return {
    name: d.name,
    metric: d.metric,
    labels,
    comparison: d.comparison,
    warning: level(d.warning),
    critical: level(d.critical),
    warningSeverity: d.warningSeverity,
    criticalSeverity: d.criticalSeverity,
    forSeconds: Number(d.forSeconds),
    hysteresis: Number(d.hysteresis),
    enabled: d.enabled,
    aggregation: d.aggregation,
    groupBy: d.groupBy.split(',').map((l) => l.trim()).filter(Boolean),
    ...(d.summary.trim() && { summary: d.summary.trim() }),
  };
}

/** The API's own schema first (most mistakes show before a round trip), then the thresholds' order. */
function localErrors(body: CreateRuleRequest): Record<string, string> {
  const out: Record<string, string> = {};
  const r = CreateRuleRequest.safeParse(body);
  if (!r.success) for (const i of r.error.issues) out[String(i.path[0] ?? 'warning')] ??= i.message;
  for (const k of ['warning', 'critical'] as const) if (Number.isNaN(body[k])) out[k] = 'must be a number (or empty)';
  const { warning: w, critical: c } = body;
  if (w != null && c != null && (body.comparison === 'gt' ? w > c : w < c)) out.critical = body.comparison === 'gt' ? 'must not be below the warning level' : 'must not be above the warning level';
  return out;
}

function Preview() {
  const { data, error } = useRuleEditor((s) => s.preview);
  if (error) return <p className="field-error">{error}</p>;
  if (!data) return null;
  const firing = data.series.filter((s) => s.level);
  return (
    <div className="rule-preview" aria-live="polite">
      <strong>{firing.length ? `Would fire now on ${firing.length} of ${data.series.length} series:` : data.series.length ? `Would not fire now (${data.series.length} series match).` : 'No current series match this metric and these labels.'}</strong>
      <ul>
        {data.series.slice(0, 8).map((s) => (
          <li key={JSON.stringify(s.labels)} className="mono">
            {s.level && <span className={`badge ${s.level === 'critical' ? 'bad' : 'warn'}`}>{s.level}</span>} {formatLabels(s.labels) || '(no labels)'} = {Number(s.value.toPrecision(4))}
          </li>
        ))}
      </ul>
    </div>
  );
}

function History() {
  const { data } = useRuleEditor((s) => s.history);
  if (!data) return null;
  return (
    <details open={data.length > 0}>
      <summary>History ({data.length})</summary>
      {data.length === 0 && <p className="muted">This rule has not fired.</p>}
      <ul>
        {data.map((h) => (
          <li key={h.alertId}>
            <span className={`badge ${h.resolvedAt ? 'ok' : 'bad'}`}>{h.resolvedAt ? 'resolved' : h.status}</span> {h.level} · fired {formatTime(h.startsAt)}
            {h.resolvedAt && ` · resolved ${formatTime(h.resolvedAt)}`} — {h.summary}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** Create or edit a threshold rule, with inline errors, a live preview and (editing) the rule's history. */
export function RuleEditor({ rule, onClose, onSaved }: { rule: Rule | null; onClose: () => void; onSaved: () => void }) {
  const [d, setD] = useState(() => draftOf(rule));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const a = useAction();
  useEffect(() => {
    resetRuleEditor();
    if (rule) void loadHistory(rule.id);
  }, [rule]);
  const parsed = parseLabels(d.labels);
  const body = requestOf(d, parsed.labels);
  // The preview follows the draft's condition (debounced), whenever it is complete enough to ask.
  useEffect(() => {
    if (!body.metric.trim() || parsed.error || (body.warning === null && body.critical === null) || Number.isNaN(body.warning) || Number.isNaN(body.critical)) return;
    const t = setTimeout(() => void loadPreview({ metric: body.metric, labels: body.labels, comparison: body.comparison, warning: body.warning, critical: body.critical, aggregation: body.aggregation, groupBy: body.groupBy }), 300);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [d.metric, d.labels, d.comparison, d.warning, d.critical, d.aggregation, d.groupBy]);
  const set =
    <K extends keyof Draft>(k: K) =>
    (v: Draft[K]) => {
      setD((x) => ({ ...x, [k]: v }));
      setErrors((e) => Object.fromEntries(Object.entries(e).filter(([f]) => f !== k)));
    };
  const field = (k: keyof Draft & string, label: string, extra: Record<string, unknown> = {}) => <TextField label={label} value={String(d[k])} onChange={set(k) as (v: string) => void} error={errors[k] ?? null} {...extra} />;
  const submit = () => {
    const local = localErrors(body);
    if (parsed.error) local.labels = parsed.error;
    setErrors(local);
    if (Object.keys(local).length) return;
    void a.run(async () => {
      try {
        const saved = await saveRule(rule?.id ?? null, body);
        toast(rule ? `Rule “${saved.name}” saved` : `Rule “${saved.name}” added`, 'ok');
        onSaved();
      } catch (e) {
        const byField = fieldErrors(e);
        // The server's order check names no field: show it under the critical level.
        setErrors(Object.keys(byField).length ? byField : { critical: (e as Error).message });
        throw e;
      }
    });
  };
  return (
    <FormDialog title={rule ? `Edit rule “${rule.name}”` : 'New rule'} onClose={onClose} onSubmit={submit} error={a.error} busy={a.busy} submit={rule ? 'Save rule' : 'Add rule'}>
      <div className="row">
        {field('name', 'Name', { autoFocus: true, maxLength: 200 })}
        {field('metric', 'Metric', { className: 'mono', placeholder: 'node_cpu_usage_ratio' })}
      </div>
      {field('labels', 'Label matchers (target scope)', { className: 'mono', placeholder: 'job=node, instance=db1:9100', hint: 'Only series with these labels; empty: every target.' })}
      <div className="row">
        <label>
          Aggregation
          <EnumSelect values={RULE_AGGREGATIONS} value={d.aggregation} onChange={set('aggregation')} label={(a) => (a === 'none' ? 'none (each series)' : a)} />
        </label>
        {d.aggregation !== 'none' && field('groupBy', 'Group by labels', { className: 'mono', placeholder: 'job, instance', hint: 'One value (and alert) per group; empty: one for all.' })}
      </div>
      <div className="row">
        <label>
          Fires when the value is
          <EnumSelect values={['gt', 'lt'] as const} value={d.comparison} onChange={set('comparison')} label={(c) => (c === 'gt' ? 'above' : 'below')} />
        </label>
        {field('warning', 'Warning at', { inputMode: 'decimal' })}
        <label>
          Warning severity
          <EnumSelect values={SEVERITIES} value={d.warningSeverity} onChange={set('warningSeverity')} />
        </label>
        {field('critical', 'Critical at', { inputMode: 'decimal' })}
        <label>
          Critical severity
          <EnumSelect values={SEVERITIES} value={d.criticalSeverity} onChange={set('criticalSeverity')} />
        </label>
      </div>
      <div className="row">
        {field('forSeconds', 'For (s) before firing', { inputMode: 'numeric' })}
        {field('hysteresis', 'Hysteresis', { inputMode: 'decimal', hint: 'how far back past the line before it clears' })}
        <Checkbox checked={d.enabled} onChange={set('enabled')}>
          Enabled
        </Checkbox>
      </div>
      {field('summary', 'Summary template', { placeholder: '{name} on {labels.instance}: {value} (threshold {threshold})' })}
      <Preview />
      {rule && <History />}
    </FormDialog>
  );
}
