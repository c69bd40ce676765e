import { useCallback, useEffect, useState } from 'react';
import type { ContactMethod } from '../../../../shared/api/alerts';
import { call, errorMessage } from '../../api';
import { CloseRow, Dialog } from '../../ui/Dialog';
import { StateView } from '../../ui/feedback';
import { notLoaded, type Loadable } from '../../ui/loadable';

/** A user's contact methods and which are verified (each person adds and verifies their own in Settings). */
export function ContactsDialog({ user, onClose }: { user: { id: string; name: string }; onClose: () => void }) {
  const [list, setList] = useState<Loadable<ContactMethod[]>>({ ...notLoaded(), loading: true });
  const fetchList = useCallback(
    () =>
      call('api.contacts.ofUser', { params: { id: user.id } }).then(
        (data) => setList({ data, error: null, loading: false }),
        (e: unknown) => setList({ data: undefined, error: errorMessage(e), loading: false }),
      ),
    [user.id],
  );
  const load = () => {
    setList((l) => ({ ...l, error: null, loading: true }));
    void fetchList();
  };
  useEffect(() => void fetchList(), [fetchList]);
  return (
    <Dialog title={`Contact methods of ${user.name}`} onClose={onClose}>
      <StateView res={list} retry={load} empty="None.">
        {(methods) => (
          <ul data-testid="user-contacts">
            {methods.map((m) => (
              <li key={m.id}>
                {m.kind === 'phone' ? 'Phone' : 'Email'} <span className="mono">{m.address}</span>{' '}
                {m.verified ? <span className="badge ok">{m.account ? 'sign-in address' : 'verified'}</span> : <span className="badge warn">not verified: never paged</span>}
              </li>
            ))}
          </ul>
        )}
      </StateView>
      <CloseRow onClose={onClose} />
    </Dialog>
  );
}
