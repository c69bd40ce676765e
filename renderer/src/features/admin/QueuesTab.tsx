import { useEffect, useState } from 'react';
import { DataTable, type Column } from '../../ui/DataTable';
import { ErrorBox, StateView } from '../../ui/feedback';
import { RowForm } from '../../ui/form';
import { useAction } from '../../ui/hooks';
import { addMember, createQueue, loadQueues, removeMember, useAdmin } from './slice';

type Queue = NonNullable<ReturnType<typeof useAdmin.getState>['queues']['data']>[number];
type Person = NonNullable<ReturnType<typeof useAdmin.getState>['people']['data']>[number];

function columns(people: Person[], act: (fn: () => Promise<unknown>) => unknown): Column<Queue>[] {
  return [
    {
      id: 'queue',
      header: 'Queue',
      cell: (q) => (
        <>
          <strong>{q.name}</strong>
          <div className="muted">{q.description}</div>
        </>
      ),
    },
    {
      id: 'members',
      header: 'Members',
      cell: (q) => (
        <div className="tags">
          {q.memberIds.map((m) => (
            <span key={m} className="tag">
              {people.find((u) => u.id === m)?.name ?? m}{' '}
              <button
                className="ghost small"
                style={{ minHeight: 0, padding: 0 }}
                aria-label="Remove member"
                onClick={() => act(() => removeMember(q.id, m))}
              >
                ×
              </button>
            </span>
          ))}
        </div>
      ),
    },
    {
      id: 'add',
      header: 'Add member',
      cell: (q) => (
        <label className="inline">
          <span className="sr-only">Add a member to {q.name}</span>
          <select value="" onChange={(e) => e.target.value && act(() => addMember(q.id, e.target.value))}>
            <option value="">Add…</option>
            {people
              .filter((u) => !q.memberIds.includes(u.id))
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
          </select>
        </label>
      ),
    },
  ];
}

export function QueuesTab() {
  const queues = useAdmin((s) => s.queues);
  const people = useAdmin((s) => s.people.data);
  const [name, setName] = useState('');
  const a = useAction();
  useEffect(() => void loadQueues(), []);
  return (
    <>
      <RowForm style={{ marginBottom: 8 }} onSubmit={() => void a.run(async () => (await createQueue(name), setName('')))}>
        <label className="inline">
          New queue
          <input required value={name} onChange={(e) => setName(e.target.value)} maxLength={80} />
        </label>
        <button className="primary">Create</button>
      </RowForm>
      <p className="muted">Queue changes reach this list after the next sync.</p>
      <ErrorBox error={a.error} />
      <StateView res={queues} retry={() => void loadQueues({ fresh: false })} empty="No queues.">
        {(list) => <DataTable columns={columns(people ?? [], a.run)} rows={list} rowKey={(q) => q.id} />}
      </StateView>
    </>
  );
}
