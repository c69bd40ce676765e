import { useEffect, useRef, useState, type ReactNode } from 'react';
import { errorMessage } from '../api';
import { ErrorBox } from './feedback';
import { FormActions } from './form';

export function Dialog({
  title,
  onClose,
  children,
  labelledBy,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  labelledBy?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const prev = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('input, select, textarea, button');
    first?.focus();
    return () => prev?.focus?.();
  }, []);
  const id = labelledBy ?? `dlg-${title.replace(/\W+/g, '-')}`;
  return (
    <div
      className="backdrop"
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={id} ref={ref}>
        <h2 id={id}>{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** Destructive confirmation: the user types the target's name to enable the action. */
export function ConfirmDestructive({
  title,
  target,
  description,
  action,
  onConfirm,
  onClose,
}: {
  title: string;
  target: string;
  description: ReactNode;
  action: string;
  onConfirm: (typed: string) => Promise<void>;
  onClose: () => void;
}) {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="form">
        <div className="alert-box warning">{description}</div>
        <label>
          Type <code className="mono">{target}</code> to confirm
          <input
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-describedby="confirm-hint"
          />
          <span id="confirm-hint" className="field-hint">
            This cannot be undone from here.
          </span>
        </label>
        <ErrorBox error={error} />
        <div className="row end">
          <button onClick={onClose}>Cancel</button>
          <button
            className="danger"
            disabled={typed !== target || busy}
            onClick={async () => {
              setBusy(true);
              setError(null);
              try {
                await onConfirm(typed);
                onClose();
              } catch (e) {
                setError(errorMessage(e));
                setBusy(false);
              }
            }}
          >
            {busy ? 'Working…' : action}
          </button>
        </div>
      </div>
    </Dialog>
  );
}

/** A dialog holding one form: its fields, the action's error, then Cancel and the submit button. */
export function FormDialog({
  title,
  onClose,
  onSubmit,
  error,
  busy,
  submit,
  children,
}: {
  title: string;
  onClose: () => void;
  onSubmit: () => void;
  error: string | null;
  busy: boolean;
  submit: string;
  children: ReactNode;
}) {
  return (
    <Dialog title={title} onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        {children}
        <ErrorBox error={error} />
        <FormActions onCancel={onClose} busy={busy} submit={submit} />
      </form>
    </Dialog>
  );
}

/** The closing row of a dialog that only shows something. */
export function CloseRow({ onClose }: { onClose: () => void }) {
  return (
    <div className="row end">
      <button onClick={onClose}>Close</button>
    </div>
  );
}
