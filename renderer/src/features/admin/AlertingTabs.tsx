import { useEffect, useState } from 'react';
import type { Rule } from '../../../../shared/api/alerts';
import { DataTable, type Column } from '../../ui/DataTable';
import { ErrorBox, StateView } from '../../ui/feedback';
import { useAction } from '../../ui/hooks';
import { RuleEditor } from '../monitoring/RuleEditor';
import { loadRules, setRuleEnabled, useAdmin } from './slice';

export type Run = (fn: () => Promise<unknown>) => unknown;

export function enabledBox<R extends { name: string; enabled: boolean }>(
  run: Run,
  set: (r: R, on: boolean) => Promise<void>,
) {
  return (r: R) => (
    <input
      type="checkbox"
      aria-label={`Enable ${r.name}`}
      checked={r.enabled}
      onChange={(e) => run(() => set(r, e.target.checked))}
    />
  );
}

function ruleColumns(run: Run, edit: (r: Rule) => void): Column<Rule>[] {
  return [
    {
      id: 'rule',
      header: 'Rule',
      cell: (r) => (
        <>
          {r.name} {r.builtin && <span className="badge neutral">built-in</span>}
        </>
      ),
    },
    {
      id: 'metric',
      header: 'Metric',
      td: () => ({ className: 'mono' }),
      cell: (r) => (
        <>
          {r.metric} {r.comparison === 'gt' ? '>' : '<'}
        </>
      ),
    },
    { id: 'warning', header: 'Warning', cell: (r) => r.warning ?? '—' },
    { id: 'critical', header: 'Critical', cell: (r) => r.critical ?? '—' },
    { id: 'for', header: 'For', cell: (r) => `${r.forSeconds}s` },
    { id: 'scope', header: 'Scope', td: () => ({ className: 'mono' }), cell: (r) => Object.entries(r.labels).map(([k, v]) => `${k}=${v}`).join(', ') || <span className="muted">all</span> },
    { id: 'enabled', header: 'Enabled', cell: enabledBox(run, (r, on) => setRuleEnabled(r.id, on)) },
    {
      id: 'edit',
      header: '',
      cell: (r) => (
        <button onClick={() => edit(r)} aria-label={`Edit ${r.name}`}>
          Edit
        </button>
      ),
    },
  ];
}

export function RulesTab() {
  const res = useAdmin((s) => s.rules);
  const a = useAction();
  // undefined: closed; null: a new rule.
  const [editing, setEditing] = useState<Rule | null | undefined>(undefined);
  useEffect(() => void loadRules(), []);
  return (
    <>
      <div className="row end">
        <button className="primary" onClick={() => setEditing(null)}>
          New rule
        </button>
      </div>
      <ErrorBox error={a.error} />
      <StateView res={res} retry={() => void loadRules({ fresh: false })} empty="No alert rules.">
        {(list) => <DataTable columns={ruleColumns(a.run, setEditing)} rows={list} rowKey={(r) => r.id} />}
      </StateView>
      {editing !== undefined && (
        <RuleEditor
          rule={editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            void loadRules({ fresh: false });
          }}
        />
      )}
    </>
  );
}
