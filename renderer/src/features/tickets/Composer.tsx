import { errorMessage } from '../../api';
import { toast } from '../../ui/toasts';
import { useRef, useState } from 'react';
import { currentUser, useSession } from '../auth/session';
import { FilePicker } from './Attachments';
import { CannedPicker } from './CannedPicker';
import { sendComment, setDraft, useTicket } from './slice';

/** The reply / internal-note composer; the draft autosaves into the cache. */
export function Composer({ ref }: { ref: React.Ref<HTMLTextAreaElement> }) {
  const draft = useTicket((s) => s.draft);
  const internal = useTicket((s) => s.internal);
  const savedAt = useTicket((s) => s.draftSavedAt);
  const sending = useTicket((s) => s.sending);
  const files = useTicket((s) => s.files);
  const detail = useTicket((s) => s.detail);
  const me = useSession(currentUser);
  const [picking, setPicking] = useState(false);
  const textarea = useRef<HTMLTextAreaElement | null>(null);
  const insert = (text: string) => {
    setPicking(false);
    const box = textarea.current;
    const at = box ? box.selectionStart : draft.length;
    setDraft(draft.slice(0, at) + text + draft.slice(box ? box.selectionEnd : at));
    requestAnimationFrame(() => box?.focus());
  };
  const submit = async () => {
    try {
      await sendComment();
      toast(internal ? 'Note added' : 'Reply sent', 'ok');
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
  };
  return (
    <form
      className={`composer${internal ? ' internal' : ''}`}
      style={{ marginTop: 12 }}
      aria-label="Composer"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="row" role="radiogroup" aria-label="Message type">
        <label className="inline">
          <input type="radio" name="kind" checked={!internal} onChange={() => setDraft(draft, false)} />{' '}
          Public reply
        </label>
        <label className="inline">
          <input type="radio" name="kind" checked={internal} onChange={() => setDraft(draft, true)} />{' '}
          Internal note
        </label>
        <span className="spacer" />
        <span className="muted" style={{ fontSize: 12 }} aria-live="polite">
          {savedAt ? 'Draft saved' : ''}
        </span>
      </div>
      <label>
        <span className="sr-only">{internal ? 'Internal note' : 'Reply to the requester'}</span>
        <textarea
          ref={(el) => {
            textarea.current = el;
            if (typeof ref === 'function') ref(el);
            else if (ref) (ref as React.RefObject<HTMLTextAreaElement | null>).current = el;
          }}
          value={draft}
          placeholder={internal ? 'Internal note — only agents see this' : 'Reply to the requester…'}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void submit();
            }
          }}
        />
      </label>
      <div className="row">
        <FilePicker id="composer-files" files={files} onChange={(f) => useTicket.setState({ files: f })} />
        <button type="button" onClick={() => setPicking(true)} disabled={!detail} aria-haspopup="dialog">
          Canned reply…
        </button>
      </div>
      {picking && detail && <CannedPicker ticket={detail.ticket} agentName={me?.name ?? ''} onPick={insert} onClose={() => setPicking(false)} />}
      <div className="row end">
        <span className="muted" style={{ fontSize: 12 }}>
          <kbd>Ctrl</kbd>+<kbd>Enter</kbd> to send
        </span>
        <button className="primary" type="submit" disabled={sending || !draft.trim()}>
          {internal ? 'Add note' : 'Send reply'}
        </button>
      </div>
    </form>
  );
}
