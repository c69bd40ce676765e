import { useEffect, type RefObject } from 'react';
import { errorMessage } from '../../api';
import { toast } from '../../ui/toasts';
import { currentUser, useSession } from '../auth/session';
import { navigate, setNewTicket, setShortcuts, useUi } from '../shell/ui';
import { quickUpdate, setComposeIntent } from '../tickets/slice';
import { moveCursor, toggleChecked } from './actions';
import { ticketAt } from './selectors';
import { useTickets } from './store';

function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return (
    !!t &&
    (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)
  );
}

/** The queue's keyboard: j/k move, Enter opens, / searches, x selects, a assigns to me, e resolves, r/n reply or note. */
export function useQueueShortcuts(search: RefObject<HTMLInputElement | null>): void {
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (
        e.ctrlKey ||
        e.metaKey ||
        e.altKey ||
        useUi.getState().paletteOpen ||
        document.querySelector('[role="dialog"]')
      )
        return;
      if (isTyping(e)) {
        if (e.key === 'Escape') (e.target as HTMLElement).blur();
        return;
      }
      const s = useTickets.getState();
      const t = ticketAt(s, s.cursor);
      const me = currentUser(useSession.getState());
      switch (e.key) {
        case 'j':
          moveCursor(1);
          break;
        case 'k':
          moveCursor(-1);
          break;
        case 'Enter':
        case 'o':
          if (t) navigate({ screen: 'ticket', id: String(t.number) });
          break;
        case '/':
          e.preventDefault();
          search.current?.focus();
          break;
        case 'x':
          if (t) toggleChecked(t.id);
          break;
        case 'a':
          if (t && me)
            void quickUpdate(t.id, { assigneeId: me.id }).then(
              () => toast(`#${t.number} assigned to you`, 'ok'),
              (err) => toast(errorMessage(err), 'error'),
            );
          break;
        case 'e':
          if (t)
            void quickUpdate(t.id, { status: 'resolved' }).then(
              () => toast(`#${t.number} resolved`, 'ok'),
              (err) => toast(errorMessage(err), 'error'),
            );
          break;
        case 'r':
        case 'n':
          if (t) {
            setComposeIntent(e.key === 'r' ? 'reply' : 'note');
            navigate({ screen: 'ticket', id: String(t.number) });
          }
          break;
        case '?':
          setShortcuts(true);
          break;
        case 'c':
          setNewTicket(true);
          break;
        default:
          return;
      }
      e.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [search]);
}
