import { useEffect, useState } from 'react';
import { SEVERITIES } from '../../../../shared/domain/alerts';
import type { NotificationPrefs } from '../../../../shared/ipc';
import { Dialog } from '../../ui/Dialog';
import { ErrorBox } from '../../ui/feedback';
import { useAction } from '../../ui/hooks';
import { formatTime } from '../../lib/format';
import { activateProfile, updateSettings, useSession } from '../auth/session';
import { DataTable, type Column } from '../../ui/DataTable';
import { EnumSelect } from '../../ui/EnumSelect';
import { UPDATE_CHANNELS } from '../../../../shared/domain/updates';
import { Checkbox, CheckboxGroup } from '../../ui/form';
import type { Action } from '../../ui/hooks';
import { checkForUpdates, installUpdate, loadUpdates, removeProfile, useSettingsScreen } from './slice';
import { toast } from '../../ui/toasts';
import { FirstRun } from '../auth/FirstRun';
import { SecretStorageSection } from './SecretStorageSection';
import { SecuritySection } from './SecuritySection';
import { NotificationRouting } from './NotificationRouting';

type Profile = ReturnType<typeof useSession.getState>['profiles'][number];

function profileColumns(activeId: string | null, a: Action): Column<Profile>[] {
  return [
    {
      id: 'name',
      header: 'Name',
      cell: (p) => (
        <>
          <strong>{p.name}</strong> {p.id === activeId && <span className="badge ok">active</span>}
        </>
      ),
    },
    {
      id: 'where',
      header: 'Server',
      cell: (p) => (p.kind === 'local' ? 'Local workspace (embedded)' : p.url),
    },
    { id: 'user', header: 'Last user', cell: (p) => p.lastUserEmail ?? '' },
    {
      id: 'actions',
      header: 'Actions',
      cell: (p) => (
        <div className="row">
          {p.id !== activeId && (
            <button className="small" onClick={() => a.run(() => activateProfile(p.id))}>
              Switch
            </button>
          )}
          {p.id !== activeId && (
            <button className="small" onClick={() => a.run(() => removeProfile(p.id))}>
              Remove
            </button>
          )}
        </div>
      ),
    },
  ];
}

export default function Settings() {
  const settings = useSession((s) => s.settings);
  const profiles = useSession((s) => s.profiles);
  const activeId = useSession((s) => s.activeProfileId);
  const runtime = useSession((s) => s.runtime);
  const session = useSession((s) => s.session);
  const updates = useSettingsScreen((s) => s.updates);
  const [adding, setAdding] = useState(false);
  const a = useAction();
  useEffect(() => void loadUpdates(), []);
  if (!settings) return null;
  const n = settings.notifications;
  const setN = (patch: Partial<NotificationPrefs>) => a.run(() => updateSettings({ notifications: patch }));
  return (
    <section aria-labelledby="set-title">
      <h1 id="set-title">Settings</h1>
      <ErrorBox error={a.error} />
      <h2>Appearance</h2>
      <fieldset className="row" style={{ border: 0, padding: 0 }}>
        <legend className="sr-only">Theme</legend>
        {(['system', 'light', 'dark'] as const).map((t) => (
          <label key={t} className="inline">
            <input
              type="radio"
              name="theme"
              checked={settings.theme === t}
              onChange={() => a.run(() => updateSettings({ theme: t }))}
            />{' '}
            {t === 'system' ? 'Follow the system' : t === 'light' ? 'Light' : 'Dark'}
          </label>
        ))}
      </fieldset>

      {session.status === 'signed_in' && <SecuritySection mfaEnabled={session.user.mfaEnabled} />}

      <h2>Notifications</h2>
      <div className="form">
        <fieldset className="row" style={{ border: 0, padding: 0 }}>
          <legend>Pop up for these severities</legend>
          <CheckboxGroup
            values={[...SEVERITIES].reverse()}
            checked={n.severities}
            onChange={(severities) => setN({ severities })}
            label={(s) => <span className={`sev sev-${s}`}>{s}</span>}
            spaced
          />
        </fieldset>
        <Checkbox checked={n.sound} onChange={(sound) => setN({ sound })}>
          Play a sound for critical alerts
        </Checkbox>
        <Checkbox checked={n.dnd.enabled} onChange={(enabled) => setN({ dnd: { ...n.dnd, enabled } })}>
          Do not disturb
        </Checkbox>
        <div className="row">
          <label>
            From
            <input
              type="time"
              value={n.dnd.from}
              disabled={!n.dnd.enabled}
              onChange={(e) => setN({ dnd: { ...n.dnd, from: e.target.value } })}
            />
          </label>
          <label>
            To
            <input
              type="time"
              value={n.dnd.to}
              disabled={!n.dnd.enabled}
              onChange={(e) => setN({ dnd: { ...n.dnd, to: e.target.value } })}
            />
          </label>
          <Checkbox
            style={{ alignSelf: 'end' }}
            checked={n.dnd.allowCritical}
            disabled={!n.dnd.enabled}
            onChange={(allowCritical) => setN({ dnd: { ...n.dnd, allowCritical } })}
          >
            Let critical alerts through
          </Checkbox>
        </div>
        {typeof Notification !== 'undefined' &&
          Notification.permission !== 'granted' &&
          useSession.getState().transport === 'host' && (
            <div className="row">
              <span className="muted">This browser has not allowed notifications.</span>
              <button className="small" onClick={() => void Notification.requestPermission()}>
                Allow notifications
              </button>
            </div>
          )}
      </div>
      {session.status === 'signed_in' && <NotificationRouting />}

      <h2>Sign-in tokens</h2>
      <SecretStorageSection />

      <h2>Server profiles</h2>
      <DataTable headless columns={profileColumns(activeId, a)} rows={profiles} rowKey={(p) => p.id} />
      <div className="row" style={{ marginTop: 8 }}>
        <button onClick={() => setAdding(true)}>Add a profile…</button>
      </div>

      <h2>Updates</h2>
      <div className="form">
        <label>
          Update channel
          <EnumSelect
            values={UPDATE_CHANNELS}
            value={settings.updateChannel}
            onChange={(updateChannel) => a.run(() => updateSettings({ updateChannel }))}
          />
        </label>
        {updates.data && (
          <p className="muted" data-testid="update-status" style={{ margin: 0 }}>
            Version {updates.data.currentVersion} · {updates.data.state.replace('_', ' ')}
            {updates.data.availableVersion && ` · ${updates.data.availableVersion} available`}
            {updates.data.message && ` · ${updates.data.message}`}
            {updates.data.checkedAt && ` · checked ${formatTime(updates.data.checkedAt)}`}
          </p>
        )}
        {runtime && (
          <p className="muted" data-testid="runtime" style={{ margin: 0 }}>
            {runtime.electron ? `Electron ${runtime.electron} · ` : 'Browser host · '}Node.js {runtime.node}
          </p>
        )}
        <div className="row">
          <button onClick={() => a.run(checkForUpdates)} disabled={a.busy}>
            Check for updates
          </button>
          {updates.data?.state === 'downloaded' && (
            <button className="primary" onClick={() => a.run(installUpdate)}>
              Restart and install
            </button>
          )}
        </div>
      </div>
      {adding && (
        <Dialog title="Add a profile" onClose={() => setAdding(false)}>
          <FirstRun
            onCancel={() => {
              setAdding(false);
              toast('No profile added');
            }}
          />
        </Dialog>
      )}
    </section>
  );
}
