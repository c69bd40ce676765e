import { useEffect, useId, useState } from 'react';
import { PRIORITIES, type Priority } from '../../../../shared/domain/tickets';
import type { AttachmentUpload } from '../../../../shared/ipc';
import { call, errorMessage } from '../../api';
import { Dialog } from '../../ui/Dialog';
import { EnumSelect } from '../../ui/EnumSelect';
import { FormActions, TextField } from '../../ui/form';
import { toast } from '../../ui/toasts';
import { loadQueueMeta } from '../queues/actions';
import { useTickets } from '../queues/store';
import { navigate, setNewTicket } from '../shell/ui';
import { FilePicker } from './Attachments';

interface Known {
  name: string;
  email: string;
}

/** Requester completion: the server's known requesters while online; offline, what is typed. */
function useRequesterSuggestions(q: string): { items: Known[]; note: string | null } {
  const [state, setState] = useState<{ items: Known[]; note: string | null }>({ items: [], note: null });
  useEffect(() => {
    const t = setTimeout(() => {
      call('api.requesters.list', { query: { q, limit: 8 } }).then(
        (items) => setState({ items, note: null }),
        (err: unknown) => setState({ items: [], note: `No suggestions: ${errorMessage(err)}` }),
      );
    }, 150);
    return () => clearTimeout(t);
  }, [q]);
  return state;
}

const splitTags = (s: string) => [...new Set(s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean))];

/** New ticket: written to the outbox, so it works offline and appears at once (pending until the server numbers it). */
export function NewTicketDialog() {
  const queues = useTickets((s) => s.queues);
  const views = useTickets((s) => s.views);
  const activeViewId = useTickets((s) => s.activeViewId);
  const fromView = views.find((v) => v.id === activeViewId)?.filter.queueId;
  const [chosenQueue, setQueueId] = useState(fromView ?? '');
  // One queue: nothing to choose.
  const queueId = chosenQueue || (queues.length === 1 ? queues[0]!.id : '');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState<Priority>('medium');
  const [tags, setTags] = useState('');
  const [files, setFiles] = useState<AttachmentUpload[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const suggestions = useRequesterSuggestions(email || name);
  const listId = useId();

  useEffect(() => {
    if (!queues.length) void loadQueueMeta();
  }, [queues.length]);

  const close = () => setNewTicket(false);
  const pick = (value: string) => {
    setEmail(value);
    const known = suggestions.items.find((s) => s.email === value);
    if (known && !name) setName(known.name);
  };

  return (
    <Dialog title="New ticket" onClose={close}>
      <form
        className="form new-ticket"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!queueId) return setError('Choose a queue.');
          setBusy(true);
          setError(null);
          try {
            const t = await call('tickets.create', { queueId, subject, description, priority, requester: { name: name.trim() || email, email }, tags: splitTags(tags), attachments: files });
            close();
            toast(t.number > 0 ? `Ticket #${t.number} created` : 'Ticket saved; it gets its number when it syncs', 'ok');
            if (t.number > 0) navigate({ screen: 'ticket', id: String(t.number) });
          } catch (err) {
            setError(errorMessage(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        <label>
          Queue
          <select required value={queueId} onChange={(e) => setQueueId(e.target.value)} aria-label="Queue">
            <option value="" disabled>
              {queues.length ? 'Choose a queue…' : 'No queues you can create tickets in'}
            </option>
            {queues.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
          </select>
        </label>
        <div className="row">
          <TextField label="Requester email" type="email" required maxLength={254} value={email} onChange={pick} list={listId} autoComplete="off" hint={suggestions.note ?? undefined} />
          <TextField label="Requester name" maxLength={120} value={name} onChange={setName} placeholder="(the email when empty)" />
        </div>
        <datalist id={listId} data-testid="requester-suggestions">
          {suggestions.items.map((s) => (
            <option key={s.email} value={s.email}>
              {s.name}
            </option>
          ))}
        </datalist>
        <TextField label="Subject" required maxLength={200} value={subject} onChange={setSubject} />
        <label>
          Description
          <textarea rows={6} maxLength={20_000} value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <div className="row">
          <label>
            Priority
            <EnumSelect values={PRIORITIES} value={priority} onChange={setPriority} aria-label="Priority" />
          </label>
          <TextField label="Tags" value={tags} onChange={setTags} placeholder="vpn, laptop" hint="Comma-separated" />
          <FilePicker id="new-ticket-files" files={files} onChange={setFiles} />
        </div>
        {error && (
          <div className="alert-box error" role="alert">
            {error}
          </div>
        )}
        <FormActions onCancel={close} busy={busy} submit="Create ticket" />
      </form>
    </Dialog>
  );
}
