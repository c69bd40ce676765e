import { useState } from 'react';
import { ROLES } from '../../../../shared/domain/roles';
import { SEVERITIES, type PRIORITIES } from '../../../../shared/ipc';
import { call, http } from '../../api';
import { Dialog, ErrorBox, StateView, useAction, useResource, DataTable } from '../../ui/common';
import { formatTime, titleCase } from '../../lib/format';
import { toast } from '../shell/ui';

const TABS = ['Users', 'Queues', 'SLA policy', 'Alert rules', 'Channels', 'API tokens', 'Audit log'] as const;
type Tab = (typeof TABS)[number];

export default function Admin() {
  const [tab, setTab] = useState<Tab>('Users');
  return (
    <section aria-labelledby="adm-title">
      <h1 id="adm-title">Admin</h1>
      <div className="tabs" role="tablist" aria-label="Admin sections">
        {TABS.map((t) => (
          <button key={t} role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
            {t}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={tab}>
        {tab === 'Users' && <Users />}
        {tab === 'Queues' && <Queues />}
        {tab === 'SLA policy' && <Sla />}
        {tab === 'Alert rules' && <Rules />}
        {tab === 'Channels' && <Channels />}
        {tab === 'API tokens' && <Tokens />}
        {tab === 'Audit log' && <Audit />}
      </div>
    </section>
  );
}

function Users() {
  const res = useResource(() => call('admin.users.list'), []);
  const [creating, setCreating] = useState(false);
  const a = useAction();
  const act = (fn: () => Promise<unknown>, msg: string) =>
    a.run(async () => (await fn(), toast(msg, 'ok'), res.reload()));
  return (
    <>
      <div className="row" style={{ marginBottom: 8 }}>
        <button className="primary" onClick={() => setCreating(true)}>
          New user
        </button>
      </div>
      <ErrorBox error={a.error} />
      <StateView res={res} empty="No users.">
        {(users) => (
          <table className="data">
            <thead>
              <tr>
                <th>Name</th>
                <th>Email</th>
                <th>Role</th>
                <th>MFA</th>
                <th>State</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>
                    <label className="inline">
                      <span className="sr-only">Role of {u.name}</span>
                      <select
                        value={u.role}
                        onChange={(e) =>
                          act(
                            () =>
                              call('admin.users.update', {
                                id: u.id,
                                changes: { role: e.target.value as (typeof ROLES)[number] },
                              }),
                            'Role changed',
                          )
                        }
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {r}
                          </option>
                        ))}
                      </select>
                    </label>
                  </td>
                  <td>
                    {u.mfaEnabled ? (
                      <span className="badge ok">On</span>
                    ) : (
                      <span className="badge neutral">Off</span>
                    )}
                  </td>
                  <td>
                    {u.disabled ? (
                      <span className="badge bad">Disabled</span>
                    ) : (
                      <span className="badge ok">Active</span>
                    )}
                  </td>
                  <td>
                    <div className="row">
                      <button
                        className="small"
                        onClick={() =>
                          act(
                            () =>
                              call('admin.users.update', { id: u.id, changes: { disabled: !u.disabled } }),
                            u.disabled ? 'Enabled' : 'Disabled',
                          )
                        }
                      >
                        {u.disabled ? 'Enable' : 'Disable'}
                      </button>
                      <button
                        className="small"
                        disabled={!u.mfaEnabled}
                        onClick={() => act(() => call('admin.users.resetMfa', { id: u.id }), 'MFA reset')}
                      >
                        Reset MFA
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </StateView>
      {creating && <NewUser onClose={() => setCreating(false)} onDone={res.reload} />}
    </>
  );
}

function NewUser({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const [v, setV] = useState({ name: '', email: '', role: 'agent' as (typeof ROLES)[number], password: '' });
  const a = useAction();
  return (
    <Dialog title="New user" onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void a.run(async () => {
            await call('admin.users.create', v);
            onDone();
            onClose();
          });
        }}
      >
        <label>
          Name
          <input required value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} />
        </label>
        <label>
          Email
          <input
            required
            type="email"
            value={v.email}
            onChange={(e) => setV({ ...v, email: e.target.value })}
          />
        </label>
        <label>
          Role
          <select value={v.role} onChange={(e) => setV({ ...v, role: e.target.value as typeof v.role })}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label>
          Initial password
          <input
            required
            type="password"
            autoComplete="new-password"
            value={v.password}
            onChange={(e) => setV({ ...v, password: e.target.value })}
          />
          <span className="field-hint">At least 12 characters; the user can change it later.</span>
        </label>
        <ErrorBox error={a.error} />
        <div className="row end">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button className="primary" disabled={a.busy}>
            Create
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function Queues() {
  const queues = useResource(() => call('queues.list'), []);
  const users = useResource(() => call('users.list'), []);
  const [name, setName] = useState('');
  const a = useAction();
  const act = (fn: () => Promise<unknown>) => a.run(async () => (await fn(), queues.reload()));
  return (
    <>
      <form
        className="row"
        style={{ marginBottom: 8 }}
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => (await http('POST', '/queues', { name }), setName('')));
        }}
      >
        <label className="inline">
          New queue
          <input required value={name} onChange={(e) => setName(e.target.value)} maxLength={80} />
        </label>
        <button className="primary">Create</button>
      </form>
      <p className="muted">Queue changes reach this list after the next sync.</p>
      <ErrorBox error={a.error} />
      <StateView res={queues} empty="No queues.">
        {(list) => (
          <DataTable headers={['Queue', 'Members', 'Add member']}>
            {list.map((q) => (
              <tr key={q.id}>
                <td>
                  <strong>{q.name}</strong>
                  <div className="muted">{q.description}</div>
                </td>
                <td>
                  <div className="tags">
                    {q.memberIds.map((m) => (
                      <span key={m} className="tag">
                        {users.data?.find((u) => u.id === m)?.name ?? m}{' '}
                        <button
                          className="ghost small"
                          style={{ minHeight: 0, padding: 0 }}
                          aria-label="Remove member"
                          onClick={() => act(() => http('DELETE', `/queues/${q.id}/members/${m}`))}
                        >
                          ×
                        </button>
                      </span>
                    ))}
                  </div>
                </td>
                <td>
                  <label className="inline">
                    <span className="sr-only">Add a member to {q.name}</span>
                    <select
                      value=""
                      onChange={(e) =>
                        e.target.value &&
                        act(() => http('POST', `/queues/${q.id}/members`, { userId: e.target.value }))
                      }
                    >
                      <option value="">Add…</option>
                      {(users.data ?? [])
                        .filter((u) => !q.memberIds.includes(u.id))
                        .map((u) => (
                          <option key={u.id} value={u.id}>
                            {u.name}
                          </option>
                        ))}
                    </select>
                  </label>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </StateView>
    </>
  );
}

interface SlaPolicy {
  priority: (typeof PRIORITIES)[number];
  firstResponseMinutes: number;
  resolutionMinutes: number;
}
function Sla() {
  const res = useResource(() => http<SlaPolicy[]>('GET', '/sla/policies'), []);
  const a = useAction();
  const [edits, setEdits] = useState<Record<string, SlaPolicy>>({});
  return (
    <StateView res={res} empty="No SLA policy.">
      {(list) => (
        <>
          <ErrorBox error={a.error} />
          <table className="data">
            <thead>
              <tr>
                <th>Priority</th>
                <th>First response (min)</th>
                <th>Resolution (min)</th>
                <th>
                  <span className="sr-only">Save</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((p) => {
                const e = edits[p.priority] ?? p;
                return (
                  <tr key={p.priority}>
                    <td className={`sev sev-${p.priority}`}>{p.priority}</td>
                    <td>
                      <input
                        type="number"
                        min={1}
                        aria-label={`First response minutes for ${p.priority}`}
                        value={e.firstResponseMinutes}
                        onChange={(ev) =>
                          setEdits({
                            ...edits,
                            [p.priority]: { ...e, firstResponseMinutes: Number(ev.target.value) },
                          })
                        }
                      />
                    </td>
                    <td>
                      <input
                        type="number"
                        min={1}
                        aria-label={`Resolution minutes for ${p.priority}`}
                        value={e.resolutionMinutes}
                        onChange={(ev) =>
                          setEdits({
                            ...edits,
                            [p.priority]: { ...e, resolutionMinutes: Number(ev.target.value) },
                          })
                        }
                      />
                    </td>
                    <td>
                      <button
                        className="small"
                        disabled={!edits[p.priority] || a.busy}
                        onClick={() =>
                          a.run(async () => {
                            await http('PUT', `/sla/policies/${p.priority}`, {
                              firstResponseMinutes: e.firstResponseMinutes,
                              resolutionMinutes: e.resolutionMinutes,
                            });
                            toast('SLA policy saved', 'ok');
                            const { [p.priority]: _drop, ...rest } = edits;
                            setEdits(rest);
                            res.reload();
                          })
                        }
                      >
                        Save
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </StateView>
  );
}

interface Rule {
  id: string;
  name: string;
  metric: string;
  comparison: string;
  warning: number | null;
  critical: number | null;
  forSeconds: number;
  enabled: boolean;
  builtin: boolean;
}
function Rules() {
  const res = useResource(() => http<Rule[]>('GET', '/rules'), []);
  const a = useAction();
  return (
    <>
      <ErrorBox error={a.error} />
      <StateView res={res} empty="No alert rules.">
        {(list) => (
          <DataTable headers={['Rule', 'Metric', 'Warning', 'Critical', 'For', 'Enabled']}>
            {list.map((r) => (
              <tr key={r.id}>
                <td>
                  {r.name} {r.builtin && <span className="badge neutral">built-in</span>}
                </td>
                <td className="mono">
                  {r.metric} {r.comparison === 'gt' ? '>' : '<'}
                </td>
                <td>{r.warning ?? '—'}</td>
                <td>{r.critical ?? '—'}</td>
                <td>{r.forSeconds}s</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Enable ${r.name}`}
                    checked={r.enabled}
                    onChange={(e) =>
                      a.run(
                        async () => (
                          await http('PATCH', `/rules/${r.id}`, { enabled: e.target.checked }),
                          res.reload()
                        ),
                      )
                    }
                  />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </StateView>
    </>
  );
}

interface Channel {
  id: string;
  type: string;
  name: string;
  severities: string[];
  enabled: boolean;
  configured: boolean;
}
function Channels() {
  const res = useResource(() => http<Channel[]>('GET', '/channels'), []);
  const a = useAction();
  return (
    <>
      <ErrorBox error={a.error} />
      <StateView res={res} empty="No channels.">
        {(list) => (
          <DataTable headers={['Channel', 'Severities', 'Configured', 'Enabled']}>
            {list.map((c) => (
              <tr key={c.id}>
                <td>
                  {c.name} <span className="muted">({c.type})</span>
                </td>
                <td>
                  <div className="row">
                    {SEVERITIES.map((s) => (
                      <label key={s} className="inline">
                        <input
                          type="checkbox"
                          checked={c.severities.includes(s)}
                          onChange={(e) =>
                            a.run(
                              async () => (
                                await http('PATCH', `/channels/${c.id}`, {
                                  severities: e.target.checked
                                    ? [...c.severities, s]
                                    : c.severities.filter((x) => x !== s),
                                }),
                                res.reload()
                              ),
                            )
                          }
                        />
                        {s}
                      </label>
                    ))}
                  </div>
                </td>
                <td>{c.configured ? 'Yes' : <span className="muted">No URL</span>}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Enable ${c.name}`}
                    checked={c.enabled}
                    onChange={(e) =>
                      a.run(
                        async () => (
                          await http('PATCH', `/channels/${c.id}`, { enabled: e.target.checked }),
                          res.reload()
                        ),
                      )
                    }
                  />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </StateView>
    </>
  );
}

function Tokens() {
  const res = useResource(() => call('admin.tokens.list'), []);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['read']);
  const [created, setCreated] = useState<string | null>(null);
  const a = useAction();
  const SCOPES = ['read', 'write', 'alerts:ingest', 'heartbeat'] as const;
  return (
    <>
      <form
        className="row"
        style={{ marginBottom: 8 }}
        onSubmit={(e) => {
          e.preventDefault();
          void a.run(async () => {
            const t = await call('admin.tokens.create', {
              name,
              scopes: scopes as (typeof SCOPES)[number][],
            });
            setCreated(t.token);
            setName('');
            res.reload();
          });
        }}
      >
        <label className="inline">
          Token name
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        {SCOPES.map((s) => (
          <label key={s} className="inline">
            <input
              type="checkbox"
              checked={scopes.includes(s)}
              onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))}
            />{' '}
            {s}
          </label>
        ))}
        <button className="primary" disabled={!scopes.length}>
          Create token
        </button>
      </form>
      {created && (
        <div className="alert-box info" role="status" style={{ marginBottom: 8 }}>
          Copy the token now; it is not shown again: <code className="mono">{created}</code>
        </div>
      )}
      <ErrorBox error={a.error} />
      <StateView res={res} empty="No API tokens.">
        {(list) => (
          <table className="data">
            <thead>
              <tr>
                <th>Name</th>
                <th>Scopes</th>
                <th>Created</th>
                <th>Last used</th>
                <th>State</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td className="mono">{t.scopes.join(' ')}</td>
                  <td>{formatTime(t.createdAt)}</td>
                  <td>{formatTime(t.lastUsedAt)}</td>
                  <td>
                    {t.revokedAt ? (
                      <span className="badge bad">Revoked</span>
                    ) : (
                      <span className="badge ok">Active</span>
                    )}
                  </td>
                  <td>
                    {!t.revokedAt && (
                      <button
                        className="small"
                        onClick={() =>
                          a.run(async () => (await call('admin.tokens.revoke', { id: t.id }), res.reload()))
                        }
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </StateView>
    </>
  );
}

function Audit() {
  const [action, setAction] = useState('');
  const [targetType, setTargetType] = useState('');
  const [from, setFrom] = useState('');
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const res = useResource(
    () =>
      call('admin.audit', {
        action: action || undefined,
        targetType: targetType || undefined,
        from: from ? new Date(from).getTime() : undefined,
        cursor,
        limit: 100,
      }),
    [action, targetType, from, cursor],
  );
  return (
    <>
      <div className="toolbar">
        <label className="inline">
          Action
          <input
            value={action}
            onChange={(e) => (setAction(e.target.value), setCursor(undefined))}
            placeholder="e.g. user.create"
          />
        </label>
        <label className="inline">
          Target type
          <input
            value={targetType}
            onChange={(e) => (setTargetType(e.target.value), setCursor(undefined))}
            placeholder="e.g. ticket"
          />
        </label>
        <label className="inline">
          Since
          <input type="date" value={from} onChange={(e) => (setFrom(e.target.value), setCursor(undefined))} />
        </label>
      </div>
      <StateView res={res} empty="No audit entries match." isEmpty={(d) => d.items.length === 0}>
        {(d) => (
          <>
            <DataTable headers={['When', 'Actor', 'Action', 'Target', 'Details']}>
              {d.items.map((e) => (
                <tr key={e.id}>
                  <td>{formatTime(e.at)}</td>
                  <td>{e.actorEmail ?? 'system'}</td>
                  <td className="mono">{e.action}</td>
                  <td>
                    {e.targetType ? titleCase(e.targetType) : ''}{' '}
                    <span className="mono muted">{e.targetId}</span>
                  </td>
                  <td
                    className="mono muted"
                    style={{
                      maxWidth: 360,
                      overflow: 'hidden',
                      textOverflow: 'ellipsis',
                      whiteSpace: 'nowrap',
                    }}
                    title={e.details ? JSON.stringify(e.details) : ''}
                  >
                    {e.details ? JSON.stringify(e.details) : ''}
                  </td>
                </tr>
              ))}
            </DataTable>
            <div className="row end" style={{ marginTop: 8 }}>
              {cursor && <button onClick={() => setCursor(undefined)}>First page</button>}
              {d.nextCursor && <button onClick={() => setCursor(d.nextCursor!)}>Older entries</button>}
            </div>
          </>
        )}
      </StateView>
    </>
  );
}
