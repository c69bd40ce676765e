import { useEffect, useRef, useState } from 'react';
import type { UpdateRelease } from '../../../../shared/api/updates';
import { UPDATE_CHANNELS, type UpdateChannel } from '../../../../shared/domain/updates';
import { DataTable, type Column } from '../../ui/DataTable';
import { Dialog, FormDialog } from '../../ui/Dialog';
import { ErrorBox, Progress, StateView } from '../../ui/feedback';
import { TextField } from '../../ui/form';
import { useAction } from '../../ui/hooks';
import { toast } from '../../ui/toasts';
import { formatBytes, formatTime } from '../../lib/format';
import { loadReleases, publishRelease, setRollout, useReleases, type NewRelease, type UploadProgress } from './releases';

const INSTALLERS = '.exe,.msi,.dmg,.zip,.pkg,.AppImage,.deb,.rpm';
const key = (r: UpdateRelease) => `${r.channel}/${r.platform}`;

function RolloutCell({ release }: { release: UpdateRelease }) {
  const [value, setValue] = useState(String(release.rolloutPercentage));
  const a = useAction();
  const changed = Number(value) !== release.rolloutPercentage;
  return (
    <span className="row" style={{ gap: 6 }}>
      <input
        type="number"
        min={0}
        max={100}
        style={{ width: 70 }}
        aria-label={`Rollout percentage for ${key(release)}`}
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
      %
      <button
        className="small"
        disabled={!changed || a.busy}
        onClick={() =>
          void a.run(async () => {
            await setRollout(release.channel, release.platform, Number(value));
            toast(`${key(release)} now offered to ${value}% of installs`, 'ok');
          })
        }
      >
        Save
      </button>
      {a.error && <span className="field-error">{a.error}</span>}
    </span>
  );
}

const columns: Column<UpdateRelease>[] = [
  { id: 'channel', header: 'Channel', cell: (r) => r.channel },
  { id: 'platform', header: 'Platform', cell: (r) => r.platform },
  { id: 'version', header: 'Version', td: () => ({ className: 'mono' }), cell: (r) => r.version },
  { id: 'released', header: 'Released', cell: (r) => formatTime(Date.parse(r.releaseDate)) },
  {
    id: 'files',
    header: 'Installers',
    cell: (r) =>
      r.files.map((f) => (
        <div key={f.name} className="mono" title={`sha512 ${f.sha512}`}>
          {f.name} · {formatBytes(f.size)} · sha512 {f.sha512.slice(0, 12)}…
        </div>
      )),
  },
  { id: 'rollout', header: 'Rollout', cell: (r) => <RolloutCell key={`${key(r)}:${r.version}`} release={r} /> },
];

const EMPTY: Omit<NewRelease, 'files'> = { channel: 'beta', version: '', rollout: 100, notes: '' };

function PublishDialog({ onClose }: { onClose: () => void }) {
  const [form, setForm] = useState(EMPTY);
  const [files, setFiles] = useState<File[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const abort = useRef<AbortController | null>(null);
  const a = useAction();
  const publish = () =>
    void a.run(async () => {
      abort.current = new AbortController();
      try {
        const release = await publishRelease({ ...form, files }, setProgress, abort.current.signal);
        toast(`Published ${release.version} for ${release.platform} on ${release.channel}`, 'ok');
        onClose();
      } finally {
        setConfirming(false);
        setProgress(null);
      }
    });
  if (progress)
    return (
      <Dialog title="Publishing…" onClose={() => abort.current?.abort()}>
        <p>
          Uploading {progress.name}: {formatBytes(progress.sent)} of {formatBytes(progress.size)}
        </p>
        <Progress value={(progress.sent / progress.size) * 100} label={`Upload of ${progress.name}`} />
        <div className="row end">
          <button onClick={() => abort.current?.abort()}>Cancel upload</button>
        </div>
      </Dialog>
    );
  if (confirming)
    return (
      <Dialog title={`Publish ${form.version}?`} onClose={() => setConfirming(false)}>
        <p>
          Desktops following <b>{form.channel}</b> will download {files.map((f) => f.name).join(', ')} (
          {formatBytes(files.reduce((n, f) => n + f.size, 0))}) and offer to restart into {form.version}
          {form.rollout < 100 ? `, ${form.rollout}% of installs at first` : ''}.
        </p>
        <ErrorBox error={a.error} />
        <div className="row end">
          <button onClick={() => setConfirming(false)}>Back</button>
          <button className="primary" disabled={a.busy} onClick={publish}>
            Publish to {form.channel}
          </button>
        </div>
      </Dialog>
    );
  return (
    <FormDialog title="Publish a desktop release" onClose={onClose} onSubmit={() => setConfirming(true)} error={a.error} busy={a.busy} submit="Review">
      <label>
        Channel
        <select value={form.channel} onChange={(e) => setForm({ ...form, channel: e.target.value as UpdateChannel })}>
          {UPDATE_CHANNELS.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      <TextField label="Version" required placeholder="1.5.0" pattern="\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?" value={form.version} onChange={(version) => setForm({ ...form, version })} hint="Higher than what the channel offers now" />
      <label>
        Installers
        <input type="file" multiple required accept={INSTALLERS} onChange={(e) => setFiles([...(e.target.files ?? [])])} />
        <span className="field-hint">The platform is told by the first file’s extension (.exe, .dmg, .AppImage…).</span>
      </label>
      <label>
        Rollout (% of installs)
        <input type="number" min={0} max={100} required value={form.rollout} onChange={(e) => setForm({ ...form, rollout: Number(e.target.value) })} />
      </label>
      <label>
        Release notes
        <textarea rows={3} value={form.notes} onChange={(e) => setForm({ ...form, notes: e.target.value })} />
      </label>
    </FormDialog>
  );
}

/** Admin → Updates: what each channel offers, staged rollouts, and publishing a release from the app. */
export function UpdatesTab() {
  const res = useReleases((s) => s.releases);
  const [publishing, setPublishing] = useState(false);
  useEffect(() => void loadReleases(), []);
  return (
    <>
      <div className="row" style={{ marginBottom: 8 }}>
        <button className="primary" onClick={() => setPublishing(true)}>
          Publish a release…
        </button>
      </div>
      <StateView res={res} retry={() => void loadReleases({ fresh: false })} empty="Nothing published yet: desktops on this server see no updates.">
        {(list) => <DataTable columns={columns} rows={list} rowKey={key} />}
      </StateView>
      {publishing && <PublishDialog onClose={() => setPublishing(false)} />}
    </>
  );
}
