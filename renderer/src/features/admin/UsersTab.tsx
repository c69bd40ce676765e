import { useEffect, useState } from 'react';
import { ROLES, type Role } from '../../../../shared/domain/roles';
import { DataTable, hiddenHeader, type Column } from '../../ui/DataTable';
import { FormDialog } from '../../ui/Dialog';
import { EnumSelect } from '../../ui/EnumSelect';
import { ErrorBox, StateView } from '../../ui/feedback';
import { TextField } from '../../ui/form';
import { useAction } from '../../ui/hooks';
import { toast } from '../../ui/toasts';
import { ContactsDialog } from './ContactsDialog';
import { createUser, loadUsers, resetMfa, updateUser, useAdmin, type NewUser } from './slice';

type User = NonNullable<ReturnType<typeof useAdmin.getState>['users']['data']>[number];

function columns(act: (fn: () => Promise<unknown>, msg: string) => unknown, contacts: (u: User) => void): Column<User>[] {
  return [
    { id: 'name', header: 'Name', cell: (u) => u.name },
    { id: 'email', header: 'Email', cell: (u) => u.email },
    {
      id: 'role',
      header: 'Role',
      cell: (u) => (
        <label className="inline">
          <span className="sr-only">Role of {u.name}</span>
          <EnumSelect
            values={ROLES}
            value={u.role}
            label={(r) => r}
            onChange={(role) => act(() => updateUser(u.id, { role }), 'Role changed')}
          />
        </label>
      ),
    },
    {
      id: 'mfa',
      header: 'MFA',
      cell: (u) =>
        u.mfaEnabled ? <span className="badge ok">On</span> : <span className="badge neutral">Off</span>,
    },
    {
      id: 'state',
      header: 'State',
      cell: (u) =>
        u.disabled ? <span className="badge bad">Disabled</span> : <span className="badge ok">Active</span>,
    },
    {
      id: 'actions',
      header: hiddenHeader('Actions'),
      cell: (u) => (
        <div className="row">
          <button
            className="small"
            onClick={() =>
              act(() => updateUser(u.id, { disabled: !u.disabled }), u.disabled ? 'Enabled' : 'Disabled')
            }
          >
            {u.disabled ? 'Enable' : 'Disable'}
          </button>
          <button
            className="small"
            disabled={!u.mfaEnabled}
            onClick={() => act(() => resetMfa(u.id), 'MFA reset')}
          >
            Reset MFA
          </button>
          <button className="small" onClick={() => contacts(u)} aria-label={`Contact methods of ${u.name}`}>
            Contacts
          </button>
        </div>
      ),
    },
  ];
}

export function UsersTab() {
  const res = useAdmin((s) => s.users);
  const [creating, setCreating] = useState(false);
  const [contactsOf, setContactsOf] = useState<User | null>(null);
  const a = useAction();
  useEffect(() => void loadUsers(), []);
  const act = (fn: () => Promise<unknown>, msg: string) => a.run(async () => (await fn(), toast(msg, 'ok')));
  return (
    <>
      <div className="row" style={{ marginBottom: 8 }}>
        <button className="primary" onClick={() => setCreating(true)}>
          New user
        </button>
      </div>
      <ErrorBox error={a.error} />
      <StateView res={res} retry={() => void loadUsers({ fresh: false })} empty="No users.">
        {(users) => <DataTable columns={columns(act, setContactsOf)} rows={users} rowKey={(u) => u.id} />}
      </StateView>
      {creating && <NewUserDialog onClose={() => setCreating(false)} />}
      {contactsOf && <ContactsDialog user={contactsOf} onClose={() => setContactsOf(null)} />}
    </>
  );
}

function NewUserDialog({ onClose }: { onClose: () => void }) {
  const [v, setV] = useState<NewUser>({ name: '', email: '', role: 'agent', password: '' });
  const a = useAction();
  return (
    <FormDialog
      title="New user"
      onClose={onClose}
      onSubmit={() => void a.run(async () => (await createUser(v), onClose()))}
      error={a.error}
      busy={a.busy}
      submit="Create"
    >
      <TextField label="Name" required value={v.name} onChange={(name) => setV({ ...v, name })} />
      <TextField
        label="Email"
        required
        type="email"
        value={v.email}
        onChange={(email) => setV({ ...v, email })}
      />
      <label>
        Role
        <EnumSelect
          values={ROLES}
          value={v.role}
          label={(r) => r}
          onChange={(role: Role) => setV({ ...v, role })}
        />
      </label>
      <TextField
        label="Initial password"
        required
        type="password"
        autoComplete="new-password"
        value={v.password}
        onChange={(password) => setV({ ...v, password })}
        hint="At least 12 characters; the user can change it later."
      />
    </FormDialog>
  );
}
