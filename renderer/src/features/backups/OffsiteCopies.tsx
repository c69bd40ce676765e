import { useEffect, useState } from 'react';
import type { ChannelResponse } from '../../../../shared/ipc';
import { call } from '../../api';
import { formatBytes, formatTime } from '../../lib/format';
import { DataTable, type Column } from '../../ui/DataTable';
import { ConfirmDestructive } from '../../ui/Dialog';
import { ErrorBox } from '../../ui/feedback';
import { useAction } from '../../ui/hooks';
import { navigate } from '../shell/ui';

type OffsiteList = ChannelResponse<'api.backups.offsite.list'>;
type Copy = OffsiteList['items'][number];

/** The typed-confirmation dialog of a restore, local or off-site (the server asks a second admin to approve). */
export function RestoreDialog({
  id,
  createdAt,
  from,
  onConfirm,
  onClose,
}: {
  id: string;
  createdAt: number;
  from?: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  return (
    <ConfirmDestructive
      title="Restore the database"
      target={id}
      description={
        <>
          Replaces the whole database with the backup of <strong>{formatTime(createdAt)}</strong>
          {from && <> fetched from {from}</>}. The server enters maintenance mode and takes a safety backup
          first; changes made since this backup are lost. It starts once approved (see Runbooks → Approvals
          inbox).
        </>
      }
      action="Restore"
      onConfirm={onConfirm}
      onClose={onClose}
    />
  );
}

/** Copies on the off-site SFTP server: listed from their signed manifests, copied now, restored from there. */
export function OffsiteCopies({ isAdmin }: { isAdmin: boolean }) {
  const [list, setList] = useState<OffsiteList | null>(null);
  const [restoring, setRestoring] = useState<Copy | null>(null);
  const a = useAction();
  const { run } = a;
  useEffect(() => void run(async () => setList(await call('api.backups.offsite.list'))), [run]);
  const columns: Column<Copy>[] = [
    { id: 'created', header: 'Taken', cell: (c) => formatTime(c.createdAt) },
    { id: 'kind', header: 'Kind', cell: (c) => c.kind },
    { id: 'size', header: 'Size', cell: (c) => formatBytes(c.sizeBytes) },
    {
      id: 'actions',
      header: 'Actions',
      cell: (c) => (
        <button className="small danger" disabled={!isAdmin} onClick={() => setRestoring(c)}>
          Restore from off-site…
        </button>
      ),
    },
  ];
  return (
    <section aria-labelledby="offsite-title" data-testid="offsite-copies">
      <div className="row">
        <h2 id="offsite-title">Off-site copies</h2>
        <span className="spacer" />
        {list?.configured && (
          <button
            className="small"
            disabled={a.busy}
            onClick={() =>
              a.run(async () =>
                navigate({
                  screen: 'job',
                  id: (await call('api.jobs.create', { body: { runbook: 'offsite-sync', params: {} } })).id,
                }),
              )
            }
          >
            Copy off-site now
          </button>
        )}
      </div>
      <ErrorBox error={a.error} />
      {list && !list.configured && (
        <p className="muted">
          Off-site copies are off: set OFFSITE_SFTP_URL, OFFSITE_SFTP_KEY_FILE and OFFSITE_SFTP_HOST_KEY on
          the server.
        </p>
      )}
      {list?.configured && (
        <>
          <p className="muted">At {list.where}; the retention applies there too.</p>
          {list.items.length === 0 ? (
            <p className="muted">No copy there yet.</p>
          ) : (
            <DataTable
              columns={columns}
              rows={list.items}
              rowKey={(c) => c.id}
              rowProps={(c) => ({ 'data-testid': 'offsite-row', 'data-backup-id': c.id })}
            />
          )}
        </>
      )}
      {restoring && list && (
        <RestoreDialog
          id={restoring.id}
          createdAt={restoring.createdAt}
          from={list.where ?? 'the off-site server'}
          onConfirm={async () =>
            navigate({
              screen: 'job',
              id: (
                await call('api.backups.offsite.restore', {
                  params: { id: restoring.id },
                  body: { confirmation: 'restore-database' },
                })
              ).id,
            })
          }
          onClose={() => setRestoring(null)}
        />
      )}
    </section>
  );
}
