import { useEffect } from 'react';
import type { ChannelResponse } from '../../../../shared/ipc';
import { on } from '../../api';
import { formatCountdown, relativeTime, titleCase } from '../../lib/format';
import { DataTable, type Column } from '../../ui/DataTable';
import { StateView } from '../../ui/feedback';
import { Checkbox } from '../../ui/form';
import { useNow } from '../../ui/hooks';
import { navigate } from '../shell/ui';
import { loadIncidents, openIncidentList, setShowClosed, useIncidents } from './slice';

type Incident = ChannelResponse<'api.incidents.list'>[number];

function columns(now: number): Column<Incident>[] {
  return [
    {
      id: 'severity',
      header: 'Severity',
      td: (i) => ({ className: `sev sev-${i.severity}` }),
      cell: (i) => i.severity,
    },
    {
      id: 'title',
      header: 'Title',
      cell: (i) => (
        <a
          href={`#/incidents/${i.id}`}
          onClick={(e) => (e.preventDefault(), navigate({ screen: 'incidents', id: i.id }))}
        >
          {i.title}
        </a>
      ),
    },
    { id: 'state', header: 'State', cell: (i) => titleCase(i.state) },
    {
      id: 'response',
      header: 'Response',
      cell: (i) => (
        <ResponseBadge
          due={i.responseDueAt}
          acknowledgedAt={i.acknowledgedAt}
          breached={i.responseBreached}
          now={now}
        />
      ),
    },
    { id: 'detected', header: 'Detected', cell: (i) => relativeTime(i.detectedAt, now) },
  ];
}

export function IncidentList() {
  const showClosed = useIncidents((s) => s.showClosed);
  const res = useIncidents((s) => s.list);
  const now = useNow(1000);
  useEffect(() => void openIncidentList(), []);
  useEffect(() => on('incidents.changed', () => void loadIncidents()), []);
  return (
    <section aria-labelledby="inc-title">
      <div className="page-head">
        <h1 id="inc-title">Incidents</h1>
        <Checkbox checked={showClosed} onChange={(on) => void setShowClosed(on)}>
          Include resolved and reviewed
        </Checkbox>
        <span className="spacer" />
        <button className="primary" onClick={() => navigate({ screen: 'incidents', id: 'new' })}>
          New incident
        </button>
      </div>
      <StateView res={res} retry={() => void loadIncidents()} empty="No open incidents.">
        {(list) => (
          <DataTable
            columns={columns(now)}
            rows={list}
            rowKey={(i) => i.id}
            rowProps={(i) => ({
              className: 'clickable',
              onClick: () => navigate({ screen: 'incidents', id: i.id }),
            })}
          />
        )}
      </StateView>
    </section>
  );
}

export function ResponseBadge({
  due,
  acknowledgedAt,
  breached,
  now,
}: {
  due: number;
  acknowledgedAt: number | null;
  breached: boolean;
  now: number;
}) {
  if (acknowledgedAt)
    return (
      <span className={`badge ${breached ? 'bad' : 'ok'}`}>{breached ? 'Responded late' : 'Responded'}</span>
    );
  const left = due - now;
  return (
    <span className={`badge ${left < 0 ? 'bad' : left < 5 * 60_000 ? 'warn' : 'info'}`}>
      {formatCountdown(due, now)}
    </span>
  );
}
