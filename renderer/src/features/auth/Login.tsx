import { useState } from 'react';
import { ApiError } from '../../api';
import { ErrorBox } from '../../ui/feedback';
import { TextField } from '../../ui/form';
import { authMessage } from './authMessage';
import { FirstRun } from './FirstRun';
import { Logo } from './Logo';
import { activateProfile, login, submitMfa, useSession } from './session';

export function Login() {
  const session = useSession((s) => s.session);
  const profiles = useSession((s) => s.profiles);
  const activeId = useSession((s) => s.activeProfileId);
  const profile = profiles.find((p) => p.id === activeId);
  const [email, setEmail] = useState(profile?.lastUserEmail ?? '');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  if (adding) return <FirstRun onCancel={() => setAdding(false)} />;
  const mfa = session.status === 'mfa_required';
  const reason = session.status === 'signed_out' ? session.reason : null;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mfa) await submitMfa(code);
      else await login(email, password);
    } catch (err) {
      const wrongCode =
        mfa &&
        err instanceof ApiError &&
        ['invalid_credentials', 'validation_failed', 'invalid_request'].includes(err.code);
      setError(
        wrongCode
          ? 'That code is not valid. Enter the current 6-digit code (check the clock on the device that shows it).'
          : authMessage(err),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="center-page">
      <form className="card form" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">
          <Logo /> {mfa ? 'Two-step verification' : 'Sign in to OpsDesk'}
        </h1>
        {profiles.length > 1 ? (
          <label>
            Server profile
            <select
              value={activeId ?? ''}
              onChange={(e) =>
                void activateProfile(e.target.value).catch((err) => setError(authMessage(err)))
              }
            >
              {profiles.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} {p.kind === 'local' ? '(local)' : `(${p.url})`}
                </option>
              ))}
            </select>
          </label>
        ) : (
          profile && (
            <p className="muted" style={{ margin: 0 }}>
              {profile.kind === 'local' ? 'Local workspace' : profile.url}
            </p>
          )
        )}
        {reason === 'revoked' && (
          <div className="alert-box warning">
            Your session was ended on the server. Sign in again; unsynced work is kept.
          </div>
        )}
        {reason === 'expired' && (
          <div className="alert-box info">Your session expired. Sign in again; unsynced work is kept.</div>
        )}
        {mfa ? (
          <label>
            Authentication code
            <input
              required
              inputMode="numeric"
              autoComplete="one-time-code"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              aria-describedby="mfa-hint"
              autoFocus
            />
            <span id="mfa-hint" className="field-hint">
              The 6-digit code from your authenticator app for {session.email}.
            </span>
          </label>
        ) : (
          <>
            <TextField
              label="Email"
              required
              type="email"
              autoComplete="username"
              value={email}
              onChange={setEmail}
              autoFocus={!email}
            />
            <TextField
              label="Password"
              required
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={setPassword}
              autoFocus={!!email}
            />
          </>
        )}
        <ErrorBox error={error} />
        <div className="row">
          <button type="button" className="ghost" onClick={() => setAdding(true)}>
            Add a workspace…
          </button>
          <span className="spacer" />
          <button className="primary" type="submit" disabled={busy}>
            {busy ? 'Signing in…' : mfa ? 'Verify' : 'Sign in'}
          </button>
        </div>
      </form>
    </main>
  );
}
