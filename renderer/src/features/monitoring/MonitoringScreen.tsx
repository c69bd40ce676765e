import { useEffect, useState } from 'react';
import type { OverviewEntry } from '../../../../shared/api/scrape';
import { formatTime } from '../../lib/format';
import { ErrorBox, StateView } from '../../ui/feedback';
import { RowForm, TextField } from '../../ui/form';
import { useAction } from '../../ui/hooks';
import { toast } from '../../ui/toasts';
import { VirtualList } from '../../ui/VirtualList';
import { navigate } from '../shell/ui';
import { fieldErrors } from '../probes/slice';
import { TargetDashboard } from './TargetDashboard';
import { addTarget, loadOverview, sortBy, sorted, useMonitoring, type SortKey } from './slice';

const REFRESH_MS = 5000;
const BADGE = { up: 'ok', down: 'bad', warning: 'warn', pending: 'neutral', paused: 'info' } as const;
const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'kind', label: 'Kind' },
  { key: 'state', label: 'State' },
  { key: 'lastCheckedAt', label: 'Last checked' },
];

function AddTarget() {
  const [job, setJob] = useState('');
  const [url, setUrl] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const a = useAction();
  const submit = () =>
    void a.run(async () => {
      try {
        const t = await addTarget({ job: job.trim(), url: url.trim() });
        toast(`Target ${t.job} at ${t.instance} added`, 'ok');
        setJob('');
        setUrl('');
        setErrors({});
      } catch (e) {
        setErrors(fieldErrors(e));
        throw e;
      }
    });
  return (
    <>
      <RowForm onSubmit={submit}>
        <TextField label="Job" value={job} onChange={setJob} placeholder="node" error={errors.job ?? null} />
        <TextField label="Metrics URL" value={url} onChange={setUrl} placeholder="http://db1:9100/metrics" className="mono" error={errors.url ?? null} />
        <button className="primary" disabled={a.busy}>
          Add target
        </button>
      </RowForm>
      <ErrorBox error={Object.keys(errors).length ? null : a.error} />
    </>
  );
}

function open(e: OverviewEntry): void {
  if (e.kind === 'target') navigate({ screen: 'monitoring', id: `target:${e.id}` });
  else if (e.kind === 'probe') navigate({ screen: 'monitoring', id: `probe:${e.name}` });
}

function Row({ e }: { e: OverviewEntry }) {
  return (
    <div className="overview-row" data-entry={e.name}>
      <span className="cell name">
        {e.kind === 'health' ? (
          <strong>{e.name}</strong>
        ) : (
          <button className="link" onClick={() => open(e)}>
            {e.name}
          </button>
        )}
        <span className="muted mono"> {e.detail}</span>
      </span>
      <span className="cell">{e.kind}</span>
      <span className="cell">
        <span className={`badge ${BADGE[e.state]}`} data-state={e.state}>
          {e.state}
        </span>
        {e.openAlerts > 0 && <span className="muted"> {e.openAlerts} open</span>}
        {e.lastError && (
          <div className={e.state === 'up' ? 'muted' : 'field-error'} title={e.lastError}>
            {e.state === 'up' ? `last error ${formatTime(e.lastErrorAt)}: ` : ''}
            {e.lastError}
          </div>
        )}
      </span>
      <span className="cell">{formatTime(e.lastCheckedAt)}</span>
    </div>
  );
}

function Overview() {
  const res = useMonitoring((s) => s.overview);
  const sort = useMonitoring((s) => s.sort);
  useEffect(() => {
    void loadOverview({ fresh: true });
    const t = setInterval(() => void loadOverview(), REFRESH_MS);
    return () => clearInterval(t);
  }, []);
  return (
    <section aria-labelledby="monitoring-title">
      <div className="page-head">
        <h1 id="monitoring-title">Monitoring</h1>
        <span className="muted">Scrape targets, probes and health checks · refreshes every 5 s</span>
      </div>
      <AddTarget />
      <StateView res={res} retry={() => void loadOverview()} empty="No targets or probes yet: add an exporter's metrics URL above, or a probe.">
        {(list) => {
          const counts = { down: 0, warning: 0, up: 0 };
          for (const e of list) if (e.state in counts) counts[e.state as keyof typeof counts]++;
          return (
            <div role="table" aria-label="Targets, probes and health checks" className="overview">
              <p className="muted" aria-live="polite">
                {list.length} entries · {counts.down} down · {counts.warning} warning · {counts.up} up
              </p>
              <div role="row" className="overview-row head">
                {COLUMNS.map((c) => (
                  <span key={c.key} role="columnheader" className="cell" aria-sort={sort.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
                    <button className="link" onClick={() => sortBy(c.key)}>
                      {c.label} {sort.key === c.key ? (sort.dir === 1 ? '▲' : '▼') : ''}
                    </button>
                  </span>
                ))}
              </div>
              <VirtualList rows={sorted(list, sort)} rowHeight={56} height={Math.min(560, list.length * 56 + 4)} rowKey={(e) => `${e.kind}:${e.id}`} render={(e) => <Row e={e} />} label="Entries" />
            </div>
          );
        }}
      </StateView>
    </section>
  );
}

/** #/monitoring (overview), #/monitoring/target:<id> and #/monitoring/probe:<name> (dashboards). */
export default function Monitoring({ id }: { id?: string }) {
  if (id?.startsWith('target:')) return <TargetDashboard targetId={id.slice(7)} />;
  if (id?.startsWith('probe:')) return <TargetDashboard probe={id.slice(6)} />;
  return <Overview />;
}
