import { useEffect, useState } from 'react';
import { DEFAULT_API_TOKEN_LIFETIME_DAYS } from '../../../../shared/api/users';
import { DataTable, hiddenHeader, type Column } from '../../ui/DataTable';
import { Dialog } from '../../ui/Dialog';
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
/** Lifetimes offered; the default comes first in meaning, "never" last and only by choice. */
const LIFETIMES = ['30', String(DEFAULT_API_TOKEN_LIFETIME_DAYS), '180', '365', 'never'] as const;
type Token = NonNullable<ReturnType<typeof useAdmin.getState>['tokens']['data']>[number];

function state(t: Token) {
  if (t.revokedAt)
    return <span className="badge bad">Revoked{t.revokedReason ? `: ${t.revokedReason.replace('_', ' ')}` : ''}</span>;
  if (t.expiresAt !== null && t.expiresAt <= Date.now()) return <span className="badge neutral">Expired</span>;
  return <span className="badge ok">Active</span>;
}

function columns(onRevoke: (t: Token) => void): Column<Token>[] {
  return [
    { id: 'name', header: 'Name', cell: (t) => t.name },
    { id: 'scopes', header: 'Scopes', td: () => ({ className: 'mono' }), cell: (t) => t.scopes.join(' ') },
    { id: 'created', header: 'Created', cell: (t) => formatTime(t.createdAt) },
    {
      id: 'expires',
      header: 'Expires',
      cell: (t) =>
        t.expiresAt === null ? (
          <span className="badge warn" title="Valid until revoked">
            Never expires
          </span>
        ) : (
          formatTime(t.expiresAt)
        ),
    },
    { id: 'used', header: 'Last used', cell: (t) => (t.lastUsedAt === null ? 'Never used' : formatTime(t.lastUsedAt)) },
    { id: 'state', header: 'State', cell: state },
    {
      id: 'actions',
      header: hiddenHeader('Actions'),
      cell: (t) =>
        !t.revokedAt && (
          <button className="small" onClick={() => onRevoke(t)}>
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
  const [lifetime, setLifetime] = useState<(typeof LIFETIMES)[number]>(String(DEFAULT_API_TOKEN_LIFETIME_DAYS));
  const [created, setCreated] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const a = useAction();
  useEffect(() => void loadTokens(), []);
  return (
    <>
      <RowForm
        style={{ marginBottom: 8 }}
        onSubmit={() =>
          void a.run(async () => {
            const expiresInDays = lifetime === 'never' ? 'never' : Number(lifetime);
            setCreated(await createToken({ name, scopes, expiresInDays }));
            setName('');
          })
        }
      >
        <label className="inline">
          Token name
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <CheckboxGroup values={SCOPES} checked={scopes} onChange={setScopes} spaced />
        <label className="inline">
          Lifetime
          <select value={lifetime} onChange={(e) => setLifetime(e.target.value as (typeof LIFETIMES)[number])}>
            {LIFETIMES.map((l) => (
              <option key={l} value={l}>
                {l === 'never' ? 'Never expires' : `${l} days`}
              </option>
            ))}
          </select>
        </label>
        <button className="primary" disabled={!scopes.length}>
          Create token
        </button>
      </RowForm>
      {lifetime === 'never' && (
        <div className="alert-box warning" role="alert" style={{ marginBottom: 8 }}>
          A token that never expires stays valid until someone revokes it; a leaked copy works forever. Prefer a
          lifetime and issue a new token before it ends.
        </div>
      )}
      {created && (
        <div className="alert-box info" role="status" style={{ marginBottom: 8 }}>
          Copy the token now; it is not shown again: <code className="mono">{created}</code>
        </div>
      )}
      <ErrorBox error={a.error} />
      <StateView res={res} retry={() => void loadTokens({ fresh: false })} empty="No API tokens.">
        {(list) => <DataTable columns={columns(setRevoking)} rows={list} rowKey={(t) => t.id} />}
      </StateView>
      {revoking && (
        <Dialog title={`Revoke ${revoking.name}?`} onClose={() => setRevoking(null)}>
          <p>Scripts and integrations using this token stop working at once. This cannot be undone.</p>
          <div className="row end">
            <button onClick={() => setRevoking(null)}>Cancel</button>
            <button
              className="danger"
              onClick={() =>
                void a.run(async () => {
                  await revokeToken(revoking.id);
                  setRevoking(null);
                })
              }
            >
              Revoke token
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}
