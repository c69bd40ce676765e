import { useEffect, useState } from 'react';
import type { ServiceStatus } from '../../../../shared/ipc';
import { DataTable, hiddenHeader, type Column } from '../../ui/DataTable';
import { StateView } from '../../ui/feedback';
import { useNow } from '../../ui/hooks';
import { relativeTime } from '../../lib/format';
import { navigate } from '../shell/ui';
import { RestartDialog, ScaleDialog } from './ServiceDialogs';
import { ServiceDetail } from './ServiceDetail';
import { healthTone, loadServices, readyCount, refreshLastJob, useServices } from './slice';

/** How often the list is re-read: replicas change while a restart or scale job runs. */
const POLL_MS = 2000;

type Open = { kind: 'restart' | 'scale'; service: ServiceStatus } | null;

function columns(now: number, open: (o: Open) => void, selected: string | undefined): Column<ServiceStatus>[] {
  return [
    {
      id: 'name',
      header: 'Service',
      cell: (s) => (
        <>
          <button
            className="ghost"
            aria-pressed={selected === s.name}
            onClick={() => navigate({ screen: 'services', id: selected === s.name ? undefined : s.name })}
          >
            {s.name}
          </button>
          <div className="muted">{s.description}</div>
        </>
      ),
    },
    { id: 'driver', header: 'Driver', cell: (s) => <span className="badge neutral">{s.driver}</span> },
    {
      id: 'replicas',
      header: 'Ready / desired',
      cell: (s) => (
        <span className="mono" data-testid="replica-count">
          {readyCount(s)} / {s.desiredReplicas}
        </span>
      ),
    },
    {
      id: 'health',
      header: 'Health',
      cell: (s) => (
        <>
          <span className={`badge ${healthTone(s.health)}`}>{s.health}</span>
          <div className="muted service-health-message">{s.healthMessage}</div>
        </>
      ),
    },
    { id: 'restart', header: 'Last restart', cell: (s) => (s.lastRestartAt ? relativeTime(s.lastRestartAt, now) : '—') },
    {
      id: 'crash',
      header: 'Last crash',
      cell: (s) =>
        s.lastCrash ? (
          <span title={s.lastCrash.message}>
            {s.lastCrash.at ? `${relativeTime(s.lastCrash.at, now)}: ` : ''}
            {s.lastCrash.message}
          </span>
        ) : (
          <span className="muted">none seen</span>
        ),
    },
    {
      id: 'actions',
      header: hiddenHeader('Actions'),
      cell: (s) => (
        <div className="row" style={{ flexWrap: 'nowrap' }}>
          <button className="small" onClick={() => open({ kind: 'restart', service: s })}>
            Restart…
          </button>
          <button className="small" onClick={() => open({ kind: 'scale', service: s })}>
            Scale…
          </button>
        </div>
      ),
    },
  ];
}

export default function Services({ id }: { id?: string }) {
  const list = useServices((s) => s.list);
  const lastJob = useServices((s) => s.lastJob);
  const [open, setOpen] = useState<Open>(null);
  const now = useNow(5000);
  useEffect(() => {
    void loadServices({ fresh: true });
    const t = setInterval(() => {
      void loadServices();
      refreshLastJob().catch((e: unknown) => console.warn('services: job status not refreshed', e));
    }, POLL_MS);
    return () => clearInterval(t);
  }, []);
  const selected = list.data?.find((s) => s.name === id);
  return (
    <section aria-labelledby="svc-title">
      <div className="page-head">
        <h1 id="svc-title">Services</h1>
        <span className="spacer" />
        <button onClick={() => void loadServices()} disabled={list.loading}>
          Refresh
        </button>
      </div>
      {lastJob && (
        <p className="alert-box info" role="status">
          {lastJob.action} of {lastJob.service}: job {lastJob.job.status.replace('_', ' ')}
          {lastJob.job.summary ? ` (${lastJob.job.summary})` : ''}.{' '}
          <button className="ghost" onClick={() => navigate({ screen: 'job', id: lastJob.job.id })}>
            Open its log
          </button>
        </p>
      )}
      <StateView
        res={list}
        retry={() => void loadServices({ fresh: true })}
        empty="No services are declared. List them in SERVICES_FILE (process, systemd, docker or kubernetes)."
      >
        {(items) => (
          <DataTable
            data-testid="service-table"
            columns={columns(now, setOpen, id)}
            rows={items}
            rowKey={(s) => s.name}
            rowProps={(s) => ({ 'data-testid': 'service-row', 'data-service': s.name, 'data-health': s.health })}
          />
        )}
      </StateView>
      {selected && <ServiceDetail service={selected} now={now} />}
      {id && list.data && !selected && <p className="state error">No service named {id}.</p>}
      {open?.kind === 'restart' && <RestartDialog service={open.service} onClose={() => setOpen(null)} />}
      {open?.kind === 'scale' && <ScaleDialog service={open.service} onClose={() => setOpen(null)} />}
    </section>
  );
}
