import { useEffect, useState } from 'react';
import type { BulkSilenceResult } from '../../../../shared/api/alerts';
import { call, errorMessage } from '../../api';
import { FormDialog } from '../../ui/Dialog';
import { TextField } from '../../ui/form';
import { useAction, useNow } from '../../ui/hooks';
import { toast } from '../../ui/toasts';
import { matcherText } from '../silences/slice';
import { DurationField } from './SilenceDialog';
import { silenceSelected } from './slice';

type Mode = 'cover' | 'each';

/**
 * Silences the selected alerts: one silence whose matchers cover them all, or one per alert. The
 * server proposes the matchers (and names what else they would mute) when it can be reached; the
 * silence itself goes through the outbox, so it also works offline.
 */
export function BulkSilenceDialog({ ids, onClose }: { ids: string[]; onClose: () => void }) {
  const [mode, setMode] = useState<Mode>('cover');
  const [minutes, setMinutes] = useState(60);
  const [comment, setComment] = useState('');
  const [answer, setAnswer] = useState<{ key: string; data?: BulkSilenceResult; error?: string } | null>(null);
  const a = useAction();
  const now = useNow(30_000);
  const key = `${mode}:${ids.join(',')}`;
  // The proposal for the current choice only; a stale one shows as "working out".
  const preview = answer?.key === key ? answer : null;
  useEffect(() => {
    let live = true;
    call('api.silences.bulk', { body: { ids, mode, durationMinutes: 60, comment: 'preview', dryRun: true } }).then(
      (data) => live && setAnswer({ key: `${mode}:${ids.join(',')}`, data }),
      (e: unknown) => live && setAnswer({ key: `${mode}:${ids.join(',')}`, error: errorMessage(e) }),
    );
    return () => void (live = false);
  }, [ids, mode]);
  const n = ids.length;
  return (
    <FormDialog
      title={`Silence ${n} alert${n === 1 ? '' : 's'}`}
      onClose={onClose}
      busy={a.busy}
      error={a.error}
      submit={mode === 'cover' ? 'Create one silence' : `Create ${n} silence${n === 1 ? '' : 's'}`}
      onSubmit={() =>
        void a.run(async () => {
          const done = await silenceSelected(ids, mode, minutes, comment);
          toast(`${done} alert${done === 1 ? '' : 's'} silenced (sent through the outbox)`, 'ok');
          onClose();
        })
      }
    >
      <fieldset className="row" style={{ border: 'none', padding: 0 }}>
        <legend>How</legend>
        <label className="inline">
          <input type="radio" name="silence-mode" checked={mode === 'cover'} onChange={() => setMode('cover')} /> One silence covering all of them
        </label>
        <label className="inline">
          <input type="radio" name="silence-mode" checked={mode === 'each'} onChange={() => setMode('each')} /> One silence per alert
        </label>
      </fieldset>
      <div className="alert-box info" data-testid="silence-preview" aria-live="polite">
        {!preview && 'Working out the matchers…'}
        {preview?.error && <>Matchers are worked out by the server, which cannot be reached ({preview.error}); the silence is queued and sent when it can.</>}
        {preview?.data && (
          <>
            {preview.data.matchers.slice(0, 5).map((set, i) => (
              <div key={i} className="mono">
                {set.map(matcherText).join(', ')}
              </div>
            ))}
            {preview.data.matchers.length > 5 && <div>…and {preview.data.matchers.length - 5} more</div>}
            {preview.data.alsoMutes.length > 0 && (
              <strong>
                Also mutes {preview.data.alsoMutes.length} other open alert{preview.data.alsoMutes.length === 1 ? '' : 's'}: {preview.data.alsoMutes.slice(0, 3).map((x) => x.name).join(', ')}
                {preview.data.alsoMutes.length > 3 ? '…' : ''}
              </strong>
            )}
            {preview.data.failed.length > 0 && <div>{preview.data.failed.length} cannot be silenced: {preview.data.failed[0]!.message}</div>}
          </>
        )}
      </div>
      <DurationField minutes={minutes} onChange={setMinutes} now={now} />
      <TextField label="Comment" value={comment} onChange={setComment} required maxLength={500} placeholder="Why, and who is on it" />
    </FormDialog>
  );
}
