import { useEffect, useState } from 'react';
import type { Backup } from '../../../../shared/ipc';
import { ErrorBox, StateView } from '../../ui/feedback';
import { useAction, useNow } from '../../ui/hooks';
import { DataTable, hiddenHeader, type Column } from '../../ui/DataTable';
import type { Action } from '../../ui/hooks';
import { backupManifest, backUpNow, loadBackups, restoreBackup, useBackups, verifyBackup } from './slice';
import { formatBytes, formatTime, relativeTime } from '../../lib/format';
import { currentUser, useSession } from '../auth/session';
import { navigate } from '../shell/ui';
import { toast } from '../../ui/toasts';
import { OffsiteCopies, RestoreDialog } from './OffsiteCopies';

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

function columns(
  a: Action,
  isAdmin: boolean,
  startJob: (p: () => Promise<{ id: string }>) => unknown,
  restore: (b: Backup) => void,
): Column<Backup>[] {
  return [
    {
      id: 'created',
      header: 'Created',
      cell: (b) => (
        <>
          {formatTime(b.createdAt)}
          <div className="mono muted">{b.id}</div>
        </>
      ),
    },
    { id: 'kind', header: 'Kind', cell: (b) => b.kind },
    { id: 'size', header: 'Size', cell: (b) => formatBytes(b.sizeBytes) },
    {
      id: 'checksum',
      header: 'Checksum',
      cell: (b) => {
        const c = checksumState(b);
        return (
          <>
            <span className={`badge ${c.cls}`} title={b.verification ?? ''}>
              {c.text}
            </span>
            {b.sha256 && (
              <div className="mono muted" title={b.sha256}>
                {b.sha256.slice(0, 12)}…
              </div>
            )}
          </>
        );
      },
    },
    {
      id: 'retention',
      header: 'Retention',
      cell: (b) =>
        b.keptBy.length ? b.keptBy.join(', ') : <span className="muted">none (will be pruned)</span>,
    },
    {
      id: 'actions',
      header: hiddenHeader('Actions'),
      cell: (b) => (
        <div className="row">
          <button
            className="small"
            disabled={a.busy || b.status !== 'ok'}
            onClick={() => startJob(() => verifyBackup(b.id))}
          >
            Verify
          </button>
          {isAdmin && (
            <button className="small danger" disabled={b.status !== 'ok'} onClick={() => restore(b)}>
              Restore…
            </button>
          )}
          <button
            className="small"
            onClick={() =>
              a.run(async () => {
                const m = await backupManifest(b.id);
                saveJson(m.name, m.value);
                if (m.fallback)
                  toast('The server has no manifest route; downloaded the backup record instead.');
              })
            }
          >
            Manifest
          </button>
        </div>
      ),
    },
  ];
}

export default function Backups() {
  const list = useBackups((s) => s.list);
  const overview = useBackups((s) => s.overview);
  const isAdmin = useSession(currentUser)?.role === 'admin';
  const [restoring, setRestoring] = useState<Backup | null>(null);
  const a = useAction();
  const now = useNow(30_000);
  const startJob = (p: () => Promise<{ id: string }>) =>
    a.run(async () => navigate({ screen: 'job', id: (await p()).id }));
  useEffect(() => void loadBackups(), []);
  return (
    <section aria-labelledby="bk-title">
      <div className="page-head">
        <h1 id="bk-title">Backups</h1>
        <span className="spacer" />
        <button className="primary" disabled={a.busy} onClick={() => startJob(backUpNow)}>
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
      <StateView
        res={list}
        retry={() => void loadBackups({ fresh: false })}
        empty="No backups yet. “Back up now” takes a verified full backup."
      >
        {(items) => (
          <DataTable
            data-testid="backup-table"
            columns={columns(a, isAdmin, startJob, setRestoring)}
            rows={items}
            rowKey={(b) => b.id}
            rowProps={(b) => ({ 'data-testid': 'backup-row', 'data-backup-id': b.id })}
          />
        )}
      </StateView>
      {restoring && (
        <RestoreDialog
          id={restoring.id}
          createdAt={restoring.createdAt}
          onConfirm={async () => navigate({ screen: 'job', id: (await restoreBackup(restoring.id)).id })}
          onClose={() => setRestoring(null)}
        />
      )}
      <OffsiteCopies isAdmin={isAdmin} />
    </section>
  );
}
