import { QRCodeSVG } from 'qrcode.react';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { ChannelResponse } from '../../../../shared/ipc';
import { call } from '../../api';
import { DataTable, type Column } from '../../ui/DataTable';
import { ErrorBox } from '../../ui/feedback';
import { TextField } from '../../ui/form';
import { useAction } from '../../ui/hooks';
import { formatTime } from '../../lib/format';
import { toast } from '../../ui/toasts';

type SessionRow = ChannelResponse<'api.auth.sessions.list'>[number];

/** Self-service security: password change and MFA enrolment (both need the current password), and the own sessions with revoke. */
export function SecuritySection({ mfaEnabled }: { mfaEnabled: boolean }) {
  const [sessions, setSessions] = useState<SessionRow[] | null>(null);
  const list = useAction();
  const { run } = list;
  const load = useCallback(() => run(async () => setSessions(await call('api.auth.sessions.list'))), [run]);
  useEffect(() => void load(), [load]);
  const columns: Column<SessionRow>[] = [
    {
      id: 'device',
      header: 'Device',
      cell: (s) => (
        <>
          {s.userAgent ?? 'unknown'} {s.current && <span className="badge ok">this device</span>}
        </>
      ),
    },
    { id: 'ip', header: 'Address', cell: (s) => s.ip ?? '' },
    { id: 'used', header: 'Last used', cell: (s) => formatTime(s.lastUsedAt) },
    {
      id: 'revoke',
      header: 'Actions',
      cell: (s) =>
        s.current ? null : (
          <button
            className="small"
            onClick={() =>
              list.run(
                async () => (
                  await call('api.auth.sessions.revoke', { params: { id: s.id } }),
                  toast('Session signed out', 'ok'),
                  await load()
                ),
              )
            }
          >
            Sign out
          </button>
        ),
    },
  ];
  return (
    <>
      <h2>Security</h2>
      <div className="form" data-testid="security">
        <PasswordChange onChanged={() => void load()} />
        {mfaEnabled ? <p>Two-step verification is on.</p> : <MfaEnrolment onEnabled={() => void load()} />}
        <h3>Your sessions</h3>
        <ErrorBox error={list.error} />
        {sessions && (
          <DataTable aria-label="Your sessions" columns={columns} rows={sessions} rowKey={(s) => s.id} />
        )}
      </div>
    </>
  );
}

function PasswordChange({ onChanged }: { onChanged: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const a = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void a.run(async () => {
      await call('api.auth.password.change', { body: { currentPassword: current, newPassword: next } });
      setCurrent('');
      setNext('');
      toast('Password changed; your other devices were signed out', 'ok');
      onChanged();
    });
  };
  return (
    <form aria-label="Change password" onSubmit={submit}>
      <h3>Change password</h3>
      <ErrorBox error={a.error} />
      <TextField
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={current}
        onChange={setCurrent}
        required
      />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        value={next}
        onChange={setNext}
        hint="At least 12 characters"
        required
      />
      <button className="primary" disabled={a.busy || !current || !next}>
        Change password
      </button>
    </form>
  );
}

function MfaEnrolment({ onEnabled }: { onEnabled: () => void }) {
  const [password, setPassword] = useState('');
  const [enrolment, setEnrolment] = useState<{ secret: string; otpauthUri: string } | null>(null);
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const a = useAction();
  if (recovery)
    return (
      <div role="status">
        <h3>Two-step verification is on</h3>
        <p>Keep these recovery codes somewhere safe; each works once. Your other devices were signed out.</p>
        <ul className="mono" data-testid="recovery-codes">
          {recovery.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      </div>
    );
  if (!enrolment)
    return (
      <form
        aria-label="Set up two-step verification"
        onSubmit={(e) => {
          e.preventDefault();
          void a.run(async () =>
            setEnrolment(await call('api.auth.mfa.enrol', { body: { currentPassword: password } })),
          );
        }}
      >
        <h3>Two-step verification</h3>
        <ErrorBox error={a.error} />
        <TextField
          label="Current password (to set it up)"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          required
        />
        <button disabled={a.busy || !password}>Set up two-step verification</button>
      </form>
    );
  return (
    <form
      aria-label="Confirm two-step verification"
      onSubmit={(e) => {
        e.preventDefault();
        void a.run(async () => {
          setRecovery((await call('api.auth.mfa.confirm', { body: { code } })).recoveryCodes);
          onEnabled();
        });
      }}
    >
      <h3>Scan with your authenticator app</h3>
      <ErrorBox error={a.error} />
      <QRCodeSVG
        value={enrolment.otpauthUri}
        size={160}
        marginSize={2}
        title="Authenticator QR code"
        data-testid="mfa-qr"
      />
      <p className="muted">
        Or type the key: <code className="mono">{enrolment.secret}</code>
      </p>
      <TextField
        label="6-digit code"
        inputMode="numeric"
        autoComplete="one-time-code"
        value={code}
        onChange={setCode}
        required
      />
      <button className="primary" disabled={a.busy || code.length !== 6}>
        Turn on
      </button>
    </form>
  );
}
