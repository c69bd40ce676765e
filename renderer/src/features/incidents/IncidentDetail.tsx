import { useEffect, useState } from 'react';
import { INCIDENT_STATES, type IncidentState } from '../../../../shared/domain/incidents';
import { on } from '../../api';
import { formatTime, titleCase } from '../../lib/format';
import { EnumSelect } from '../../ui/EnumSelect';
import { ErrorBox, StateView } from '../../ui/feedback';
import { useAction, useNow } from '../../ui/hooks';
import { toast } from '../../ui/toasts';
import { navigate } from '../shell/ui';
import { ResponseBadge } from './IncidentList';
import {
  addLink,
  addNote,
  nextState,
  onIncidentChanged,
  openIncident,
  reloadIncident,
  saveReview,
  transition,
  useIncidents,
  type IncidentLink,
} from './slice';

const LINK_KINDS = ['ticket', 'alert', 'job'] as const satisfies readonly IncidentLink['kind'][];

const NEXT_LABEL: Record<IncidentState, string> = {
  detected: 'Detected',
  acknowledged: 'Acknowledge',
  diagnosing: 'Start diagnosis',
  mitigating: 'Start mitigation',
  resolved: 'Resolve',
  reviewed: 'Complete review',
};

export function IncidentDetailView({ id }: { id: string }) {
  const res = useIncidents((s) => s.detail);
  const now = useNow(1000);
  const [note, setNote] = useState('');
  const [link, setLink] = useState<IncidentLink>({
    kind: 'ticket',
    refId: '',
  });
  const a = useAction();
  useEffect(() => void openIncident(id), [id]);
  useEffect(() => on('incidents.changed', onIncidentChanged), []);
  const act = a.run;
  return (
    <StateView res={res} retry={() => void reloadIncident()} empty="">
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
                  onClick={() => act(() => transition(id, s))}
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
                      await addNote(id, note);
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
                      await addLink(id, link);
                      setLink({ ...link, refId: '' });
                    });
                  }}
                >
                  <label className="inline">
                    <span className="sr-only">Link kind</span>
                    <EnumSelect
                      values={LINK_KINDS}
                      value={link.kind}
                      onChange={(kind) => setLink({ ...link, kind })}
                    />
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
}: {
  id: string;
  summary: string | null;
  rootCause: string | null;
  followUps: string[];
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
          await saveReview(id, {
            summary: s,
            rootCause: r,
            followUps: f
              .split('\n')
              .map((x) => x.trim())
              .filter(Boolean),
          });
          toast('Review saved', 'ok');
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
