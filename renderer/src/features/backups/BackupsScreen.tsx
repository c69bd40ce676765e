import { useState } from 'react';
import type { Backup, Job } from '../../../../shared/ipc';
import { call, http } from '../../api';
import {
  ConfirmDestructive,
  ErrorBox,
  StateView,
  useAction,
  useNow,
  useResource,
} from '../../ui/common';
import { formatBytes, formatTime, relativeTime } from '../../lib/format';
import { currentUser, useSession } from '../auth/session';
import { navigate, toast } from '../shell/ui';

function saveJson(name: string, value: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function checksumState(b: Backup): { cls: string; text: string } {
  if (b.status === 'failed') return { cls: 'bad', text: 'Failed' };
  if (b.status === 'pruned') return { cls: 'neutral', text: 'Pruned' };
  if (b.verified) return { cls: 'ok', text: 'Verified' };
  if (b.verification) return { cls: 'bad', text: 'Mismatch' };
  return { cls: 'warn', text: 'Not verified' };
}

export default function Backups() {
  const list = useResource(() => call('backups.list'), []);
  const overview = useResource(() => call('backups.overview'), []);
  const isAdmin = useSession(currentUser)?.role === 'admin';
  const [restoring, setRestoring] = useState<Backup | null>(null);
  const a = useAction();
  const now = useNow(30_000);
  const startJob = (p: Promise<Job>) => a.run(async () => navigate({ screen: 'job', id: (await p).id }));
  return (
    <section aria-labelledby="bk-title">
      <div className="page-head">
        <h1 id="bk-title">Backups</h1>
        <span className="spacer" />
        <button
          className="primary"
          disabled={a.busy}
          onClick={() =>
            startJob(call('jobs.request', { runbook: 'backup-database', params: { kind: 'manual' } }))
          }
        >
          Back up now
        </button>
      </div>
      {overview.data && (
        <p className="muted">
          Last success{' '}
          {overview.data.lastSuccessAt ? relativeTime(overview.data.lastSuccessAt, now) : 'never'} ·
          retention: hourly {overview.data.retention.hourlyHours} h, daily {overview.data.retention.dailyDays}{' '}
          d, weekly {overview.data.retention.weeklyWeeks} w, monthly {overview.data.retention.monthlyMonths} m
          {overview.data.freeBytes != null && ` · ${formatBytes(overview.data.freeBytes)} free`}
          {overview.data.schedules.map((s) => ` · ${s.name} next ${s.nextRun ? formatTime(s.nextRun) : '—'}`)}
        </p>
      )}
      <ErrorBox error={a.error} />
      <StateView res={list} empty="No backups yet. “Back up now” takes a verified full backup.">
        {(items) => (
          <table className="data" data-testid="backup-table">
            <thead>
              <tr>
                <th>Created</th>
                <th>Kind</th>
                <th>Size</th>
                <th>Checksum</th>
                <th>Retention</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((b) => {
                const c = checksumState(b);
                return (
                  <tr key={b.id} data-testid="backup-row" data-backup-id={b.id}>
                    <td>
                      {formatTime(b.createdAt)}
                      <div className="mono muted">{b.id}</div>
                    </td>
                    <td>{b.kind}</td>
                    <td>{formatBytes(b.sizeBytes)}</td>
                    <td>
                      <span className={`badge ${c.cls}`} title={b.verification ?? ''}>
                        {c.text}
                      </span>
                      {b.sha256 && (
                        <div className="mono muted" title={b.sha256}>
                          {b.sha256.slice(0, 12)}…
                        </div>
                      )}
                    </td>
                    <td>
                      {b.keptBy.length ? (
                        b.keptBy.join(', ')
                      ) : (
                        <span className="muted">none (will be pruned)</span>
                      )}
                    </td>
                    <td>
                      <div className="row">
                        <button
                          className="small"
                          disabled={a.busy || b.status !== 'ok'}
                          onClick={() =>
                            startJob(http<Job>('POST', `/backups/${encodeURIComponent(b.id)}/verify`, {}))
                          }
                        >
                          Verify
                        </button>
                        {isAdmin && (
                          <button
                            className="small danger"
                            disabled={b.status !== 'ok'}
                            onClick={() => setRestoring(b)}
                          >
                            Restore…
                          </button>
                        )}
                        <button
                          className="small"
                          onClick={() =>
                            a.run(async () => {
                              try {
                                saveJson(
                                  `${b.id}.manifest.json`,
                                  await call('backups.manifest', { id: b.id }),
                                );
                              } catch {
                                // Older servers have no manifest route: the backup record carries the same facts.
                                saveJson(
                                  `${b.id}.json`,
                                  await http('GET', `/backups/${encodeURIComponent(b.id)}`),
                                );
                                toast(
                                  'The server has no manifest route; downloaded the backup record instead.',
                                );
                              }
                            })
                          }
                        >
                          Manifest
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </StateView>
      {restoring && (
        <ConfirmDestructive
          title="Restore the database"
          target={restoring.id}
          description={
            <>
              Replaces the whole database with the backup of{' '}
              <strong>{formatTime(restoring.createdAt)}</strong>. The server enters maintenance mode and takes
              a safety backup first; changes made since this backup are lost.
            </>
          }
          action="Restore"
          onConfirm={async () => {
            // The server's own gate: destructive runbooks are confirmed with the runbook id.
            const job = await http<Job>('POST', `/backups/${encodeURIComponent(restoring.id)}/restore`, {
              confirmation: 'restore-database',
            });
            navigate({ screen: 'job', id: job.id });
          }}
          onClose={() => setRestoring(null)}
        />
      )}
    </section>
  );
}
