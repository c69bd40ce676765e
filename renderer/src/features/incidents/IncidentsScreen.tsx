import { useEffect, useState } from 'react';
import { INCIDENT_STATES, SEVERITIES, type IncidentState } from '../../../../shared/ipc';
import { call, on } from '../../api';
import { ErrorBox, StateView, useAction, useNow, useResource, DataTable } from '../../ui/common';
import { formatCountdown, formatTime, relativeTime, titleCase } from '../../lib/format';
import { navigate, toast } from '../shell/ui';

const NEXT_LABEL: Record<IncidentState, string> = {
  detected: 'Detected',
  acknowledged: 'Acknowledge',
  diagnosing: 'Start diagnosis',
  mitigating: 'Start mitigation',
  resolved: 'Resolve',
  reviewed: 'Complete review',
};

/** The only allowed next state: detect → acknowledge → diagnose → mitigate → resolve → review. */
export function nextState(s: IncidentState): IncidentState | null {
  const i = INCIDENT_STATES.indexOf(s);
  return INCIDENT_STATES[i + 1] ?? null;
}

export default function Incidents({ id }: { id?: string }) {
  if (id === 'new') return <NewIncident />;
  if (id) return <IncidentDetailView id={id} />;
  return <IncidentList />;
}

function IncidentList() {
  const [showClosed, setShowClosed] = useState(false);
  const res = useResource(
    () =>
      call(
        'incidents.list',
        showClosed ? {} : { state: ['detected', 'acknowledged', 'diagnosing', 'mitigating'] },
      ),
    [showClosed],
  );
  const now = useNow(1000);
  const reloadRes = res.reload;
  useEffect(() => on('incidents.changed', () => reloadRes()), [reloadRes]);
  return (
    <section aria-labelledby="inc-title">
      <div className="page-head">
        <h1 id="inc-title">Incidents</h1>
        <label className="inline">
          <input type="checkbox" checked={showClosed} onChange={(e) => setShowClosed(e.target.checked)} />{' '}
          Include resolved and reviewed
        </label>
        <span className="spacer" />
        <button className="primary" onClick={() => navigate({ screen: 'incidents', id: 'new' })}>
          New incident
        </button>
      </div>
      <StateView res={res} empty="No open incidents.">
        {(list) => (
          <DataTable headers={['Severity', 'Title', 'State', 'Response', 'Detected']}>
            {list.map((i) => (
              <tr
                key={i.id}
                className="clickable"
                onClick={() => navigate({ screen: 'incidents', id: i.id })}
              >
                <td className={`sev sev-${i.severity}`}>{i.severity}</td>
                <td>
                  <a
                    href={`#/incidents/${i.id}`}
                    onClick={(e) => (e.preventDefault(), navigate({ screen: 'incidents', id: i.id }))}
                  >
                    {i.title}
                  </a>
                </td>
                <td>{titleCase(i.state)}</td>
                <td>
                  <ResponseBadge
                    due={i.responseDueAt}
                    acknowledgedAt={i.acknowledgedAt}
                    breached={i.responseBreached}
                    now={now}
                  />
                </td>
                <td>{relativeTime(i.detectedAt, now)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </StateView>
    </section>
  );
}

function ResponseBadge({
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

function NewIncident() {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [severity, setSeverity] = useState<(typeof SEVERITIES)[number]>('medium');
  const a = useAction();
  return (
    <section aria-labelledby="new-inc">
      <h1 id="new-inc">New incident</h1>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void a.run(async () => {
            const inc = await call('incidents.create', {
              title,
              description: description || undefined,
              severity,
            });
            navigate({ screen: 'incidents', id: inc.id });
          });
        }}
      >
        <label>
          Title
          <input required value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} />
        </label>
        <label>
          Severity
          <select value={severity} onChange={(e) => setSeverity(e.target.value as typeof severity)}>
            {[...SEVERITIES].reverse().map((s) => (
              <option key={s} value={s}>
                {titleCase(s)} — respond within{' '}
                {{ critical: '15 min', high: '1 h', medium: '4 h', low: '1 day' }[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Description
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <ErrorBox error={a.error} />
        <div className="row end">
          <button type="button" onClick={() => navigate({ screen: 'incidents' })}>
            Cancel
          </button>
          <button className="primary" disabled={a.busy}>
            Create
          </button>
        </div>
      </form>
    </section>
  );
}

function IncidentDetailView({ id }: { id: string }) {
  const res = useResource(() => call('incidents.get', { id }), [id]);
  const now = useNow(1000);
  const [note, setNote] = useState('');
  const [link, setLink] = useState<{ kind: 'alert' | 'ticket' | 'job'; refId: string }>({
    kind: 'ticket',
    refId: '',
  });
  const a = useAction();
  const reloadRes = res.reload;
  useEffect(() => on('incidents.changed', (p) => p.id === id && reloadRes()), [id, reloadRes]);
  const act = (fn: () => Promise<unknown>) => a.run(async () => (await fn(), res.reload()));
  return (
    <StateView res={res} empty="">
      {(inc) => {
        const next = nextState(inc.state);
        return (
          <article aria-labelledby="inc-h">
            <div className="page-head">
              <button className="ghost" onClick={() => navigate({ screen: 'incidents' })}>
                ← Incidents
              </button>
              <h1 id="inc-h">{inc.title}</h1>
              <span className={`sev sev-${inc.severity}`}>{inc.severity}</span>
              <span className="badge info">{titleCase(inc.state)}</span>
              <ResponseBadge
                due={inc.responseDueAt}
                acknowledgedAt={inc.acknowledgedAt}
                breached={inc.responseBreached}
                now={now}
              />
            </div>
            <div className="row" role="group" aria-label="Workflow" style={{ marginBottom: 12 }}>
              {INCIDENT_STATES.map((s) => (
                <button
                  key={s}
                  className={s === next ? 'primary' : ''}
                  disabled={s !== next || a.busy}
                  aria-current={s === inc.state ? 'step' : undefined}
                  onClick={() => act(() => call('incidents.transition', { id, state: s }))}
                >
                  {s === inc.state ? `● ${titleCase(s)}` : NEXT_LABEL[s]}
                </button>
              ))}
            </div>
            <ErrorBox error={a.error} />
            <div className="detail">
              <section>
                {inc.description && <p>{inc.description}</p>}
                <h2>Timeline</h2>
                <ol className="timeline">
                  {inc.timeline.map((t) => (
                    <li key={t.id}>
                      <span className="muted">{formatTime(t.at)}</span> · <strong>{titleCase(t.kind)}</strong>{' '}
                      {t.body}
                    </li>
                  ))}
                </ol>
                <form
                  className="form"
                  style={{ marginTop: 12, maxWidth: 'none' }}
                  onSubmit={(e) => {
                    e.preventDefault();
                    void act(async () => {
                      await call('incidents.note', { id, body: note });
                      setNote('');
                    });
                  }}
                >
                  <label>
                    Add a note
                    <textarea value={note} onChange={(e) => setNote(e.target.value)} />
                  </label>
                  <div className="row end">
                    <button className="primary" disabled={!note.trim() || a.busy}>
                      Add note
                    </button>
                  </div>
                </form>
                {(inc.state === 'resolved' || inc.state === 'reviewed') && (
                  <ReviewForm
                    id={id}
                    summary={inc.summary}
                    rootCause={inc.rootCause}
                    followUps={inc.followUps}
                    onSaved={res.reload}
                  />
                )}
              </section>
              <aside className="side">
                <h3>Links</h3>
                {inc.links.length === 0 && <p className="muted">Nothing linked.</p>}
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {inc.links.map((l) => (
                    <li key={`${l.kind}:${l.refId}`}>
                      {l.kind}{' '}
                      <a
                        href="#"
                        onClick={(e) => {
                          e.preventDefault();
                          if (l.kind === 'alert') navigate({ screen: 'alerts', id: l.refId });
                          else if (l.kind === 'job') navigate({ screen: 'job', id: l.refId });
                          else navigate({ screen: 'ticket', id: l.refId });
                        }}
                      >
                        {l.refId}
                      </a>
                    </li>
                  ))}
                </ul>
                <form
                  className="row"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void act(async () => {
                      await call('incidents.link', { id, ...link });
                      setLink({ ...link, refId: '' });
                    });
                  }}
                >
                  <label className="inline">
                    <span className="sr-only">Link kind</span>
                    <select
                      value={link.kind}
                      onChange={(e) => setLink({ ...link, kind: e.target.value as typeof link.kind })}
                    >
                      <option value="ticket">Ticket</option>
                      <option value="alert">Alert</option>
                      <option value="job">Job</option>
                    </select>
                  </label>
                  <label className="inline">
                    <span className="sr-only">Id to link</span>
                    <input
                      placeholder="id"
                      value={link.refId}
                      onChange={(e) => setLink({ ...link, refId: e.target.value })}
                      style={{ width: 110 }}
                    />
                  </label>
                  <button className="small" disabled={!link.refId.trim()}>
                    Link
                  </button>
                </form>
                <h3>Facts</h3>
                <dl style={{ margin: 0, fontSize: 13 }}>
                  <dt className="muted">Detected</dt>
                  <dd>{formatTime(inc.detectedAt)}</dd>
                  <dt className="muted">Response due</dt>
                  <dd>{formatTime(inc.responseDueAt)}</dd>
                  <dt className="muted">Resolved</dt>
                  <dd>{formatTime(inc.resolvedAt)}</dd>
                </dl>
              </aside>
            </div>
          </article>
        );
      }}
    </StateView>
  );
}

function ReviewForm({
  id,
  summary,
  rootCause,
  followUps,
  onSaved,
}: {
  id: string;
  summary: string | null;
  rootCause: string | null;
  followUps: string[];
  onSaved: () => void;
}) {
  const [s, setS] = useState(summary ?? '');
  const [r, setR] = useState(rootCause ?? '');
  const [f, setF] = useState(followUps.join('\n'));
  const a = useAction();
  return (
    <form
      className="form"
      style={{ maxWidth: 'none' }}
      onSubmit={(e) => {
        e.preventDefault();
        void a.run(async () => {
          await call('incidents.review', {
            id,
            summary: s,
            rootCause: r,
            followUps: f
              .split('\n')
              .map((x) => x.trim())
              .filter(Boolean),
          });
          toast('Review saved', 'ok');
          onSaved();
        });
      }}
    >
      <h2>Post-incident review</h2>
      <label>
        Summary
        <textarea value={s} onChange={(e) => setS(e.target.value)} />
      </label>
      <label>
        Root cause
        <textarea value={r} onChange={(e) => setR(e.target.value)} />
      </label>
      <label>
        Follow-ups (one per line)
        <textarea value={f} onChange={(e) => setF(e.target.value)} />
      </label>
      <ErrorBox error={a.error} />
      <div className="row end">
        <button className="primary" disabled={a.busy}>
          Save review
        </button>
      </div>
    </form>
  );
}
