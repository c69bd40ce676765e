import { useEffect, useState } from 'react';
import { DataTable, hiddenHeader, type Column } from '../../ui/DataTable';
import { ErrorBox, StateView } from '../../ui/feedback';
import { CheckboxGroup, RowForm } from '../../ui/form';
import { useAction } from '../../ui/hooks';
import { formatTime } from '../../lib/format';
import { createToken, loadTokens, revokeToken, useAdmin, type NewToken } from './slice';

const SCOPES = [
  'read',
  'write',
  'alerts:ingest',
  'heartbeat',
] as const satisfies readonly NewToken['scopes'][number][];
type Token = NonNullable<ReturnType<typeof useAdmin.getState>['tokens']['data']>[number];

function columns(run: (fn: () => Promise<unknown>) => unknown): Column<Token>[] {
  return [
    { id: 'name', header: 'Name', cell: (t) => t.name },
    { id: 'scopes', header: 'Scopes', td: () => ({ className: 'mono' }), cell: (t) => t.scopes.join(' ') },
    { id: 'created', header: 'Created', cell: (t) => formatTime(t.createdAt) },
    { id: 'used', header: 'Last used', cell: (t) => formatTime(t.lastUsedAt) },
    {
      id: 'state',
      header: 'State',
      cell: (t) =>
        t.revokedAt ? <span className="badge bad">Revoked</span> : <span className="badge ok">Active</span>,
    },
    {
      id: 'actions',
      header: hiddenHeader('Actions'),
      cell: (t) =>
        !t.revokedAt && (
          <button className="small" onClick={() => run(() => revokeToken(t.id))}>
            Revoke
          </button>
        ),
    },
  ];
}

export function TokensTab() {
  const res = useAdmin((s) => s.tokens);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<NewToken['scopes']>(['read']);
  const [created, setCreated] = useState<string | null>(null);
  const a = useAction();
  useEffect(() => void loadTokens(), []);
  return (
    <>
      <RowForm
        style={{ marginBottom: 8 }}
        onSubmit={() =>
          void a.run(async () => {
            setCreated(await createToken({ name, scopes }));
            setName('');
          })
        }
      >
        <label className="inline">
          Token name
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <CheckboxGroup values={SCOPES} checked={scopes} onChange={setScopes} spaced />
        <button className="primary" disabled={!scopes.length}>
          Create token
        </button>
      </RowForm>
      {created && (
        <div className="alert-box info" role="status" style={{ marginBottom: 8 }}>
          Copy the token now; it is not shown again: <code className="mono">{created}</code>
        </div>
      )}
      <ErrorBox error={a.error} />
      <StateView res={res} retry={() => void loadTokens({ fresh: false })} empty="No API tokens.">
        {(list) => <DataTable columns={columns(a.run)} rows={list} rowKey={(t) => t.id} />}
      </StateView>
    </>
  );
}
