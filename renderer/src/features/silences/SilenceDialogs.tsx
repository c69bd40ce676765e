import { useEffect, useState } from 'react';
import type { Matcher, Silence } from '../../../../shared/api/alerts';
import { CloseRow, Dialog, FormDialog } from '../../ui/Dialog';
import { StateView } from '../../ui/feedback';
import { TextField } from '../../ui/form';
import { useAction } from '../../ui/hooks';
import { toast } from '../../ui/toasts';
import { navigate } from '../shell/ui';
import { loadMuted, matcherText, updateSilence, useSilences } from './slice';

/** One matcher per line, as Alertmanager writes them: `host="web-1"`, `host=~"web-.*"`, `env!="dev"`. */
export function parseMatchers(text: string): { matchers: Matcher[]; error: string | null } {
  const matchers: Matcher[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_.-]*)\s*(=~|!~|!=|=)\s*"?(.*?)"?$/.exec(line);
    if (!m) return { matchers, error: `line ${i + 1}: write name="value", name=~"regex", name!="value" or name!~"regex"` };
    const op = m[2]!;
    matchers.push({ name: m[1]!, value: m[3]!, isRegex: op.endsWith('~'), isEqual: op.startsWith('=') });
  }
  return { matchers, error: matchers.length ? null : 'at least one matcher' };
}

const pad = (n: number) => String(n).padStart(2, '0');
const localInput = (t: number) => {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

export function SilenceEditDialog({ silence, onClose }: { silence: Silence; onClose: () => void }) {
  const [text, setText] = useState(silence.matchers.map(matcherText).join('\n'));
  const [ends, setEnds] = useState(localInput(silence.endsAt));
  const [comment, setComment] = useState(silence.comment);
  const a = useAction();
  const parsed = parseMatchers(text);
  const endsAt = new Date(ends).getTime();
  return (
    <FormDialog
      title="Edit silence"
      onClose={onClose}
      busy={a.busy}
      error={a.error}
      submit="Save"
      onSubmit={() => {
        if (parsed.error) return a.setError(`Matchers: ${parsed.error}`);
        if (!Number.isFinite(endsAt) || endsAt <= Date.now()) return a.setError('The end must be in the future (use Expire now to end it).');
        void a.run(async () => {
          await updateSilence(silence.id, { matchers: parsed.matchers, endsAt, comment });
          toast('Silence saved', 'ok');
          onClose();
        });
      }}
    >
      <label>
        Matchers, one per line
        <textarea className="mono" rows={Math.max(3, silence.matchers.length + 1)} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={!!parsed.error} />
        <span className={parsed.error ? 'field-error' : 'field-hint'}>{parsed.error ?? 'Regular expressions match the whole value (RE2, as Alertmanager).'}</span>
      </label>
      <TextField label="Ends" type="datetime-local" value={ends} onChange={setEnds} />
      <TextField label="Comment" value={comment} onChange={setComment} required maxLength={2000} />
    </FormDialog>
  );
}

export function MutedAlertsDialog({ silence, onClose }: { silence: Silence; onClose: () => void }) {
  const res = useSilences((s) => s.muted[silence.id]) ?? { data: undefined, error: null, loading: true };
  useEffect(() => void loadMuted(silence.id), [silence.id]);
  return (
    <Dialog title={`Muted by “${silence.comment}”`} onClose={onClose}>
      <StateView res={res} retry={() => void loadMuted(silence.id)} empty="It mutes no open alert right now.">
        {(alerts) => (
          <ul data-testid="muted-alerts">
            {alerts.map((al) => (
              <li key={al.id}>
                <button
                  className="link"
                  onClick={() => {
                    onClose();
                    navigate({ screen: 'alerts', id: al.id });
                  }}
                >
                  {al.name}
                </button>{' '}
                <span className={`sev sev-${al.severity}`}>{al.severity}</span> <span className="muted mono">{Object.entries(al.labels).map(([k, v]) => `${k}=${v}`).join(', ')}</span>
              </li>
            ))}
          </ul>
        )}
      </StateView>
      <CloseRow onClose={onClose} />
    </Dialog>
  );
}
