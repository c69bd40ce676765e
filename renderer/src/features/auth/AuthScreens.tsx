import { useState } from 'react';
import { ApiError, call, errorMessage } from '../../api';
import { activateProfile, login, onSessionChanged, refreshProfiles, submitMfa, useSession } from './session';

/** Clear words for the errors a person can act on. */
export function authMessage(e: unknown): string {
  if (e instanceof ApiError) {
    switch (e.code) {
      case 'invalid_credentials':
        return 'Wrong email or password.';
      case 'locked':
        return `This account is temporarily locked after too many failed attempts. ${e.message}`;
      case 'rate_limited':
        return 'Too many attempts. Wait a minute and try again.';
      case 'server_unreachable':
      case 'offline':
        return `The server cannot be reached. Check the address and your network. (${e.message})`;
      case 'not_opsdesk_server':
        return `That address answers, but not like an OpsDesk server. (${e.message})`;
      case 'invalid_request':
      case 'validation_failed':
        return e.message;
    }
  }
  return errorMessage(e);
}

function Logo() {
  return (
    <svg width="26" height="26" viewBox="0 0 24 24" aria-hidden>
      <rect x="2" y="3" width="20" height="14" rx="2" fill="none" stroke="currentColor" strokeWidth="2" />
      <path d="M6 13l3-3 3 2 5-5" fill="none" stroke="var(--accent)" strokeWidth="2" />
      <path d="M8 21h8M12 17v4" stroke="currentColor" strokeWidth="2" />
    </svg>
  );
}

export function FirstRun({ onCancel }: { onCancel?: () => void }) {
  const [mode, setMode] = useState<'local' | 'server'>('local');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [password2, setPassword2] = useState('');
  const [url, setUrl] = useState('https://');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mismatch = mode === 'local' && password2.length > 0 && password !== password2;
  const tooShort = mode === 'local' && password.length > 0 && password.length < 12;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (mismatch || tooShort) return;
    setBusy(true);
    setError(null);
    try {
      if (mode === 'local') {
        // The core starts the embedded backend, creates the admin, activates the profile and
        // signs in: only pick up the resulting session here.
        await call('profiles.addLocal', {
          name: 'Local workspace',
          adminEmail: email,
          adminName: name,
          adminPassword: password,
        });
        onSessionChanged(await call('session.state'));
      } else {
        const profile = await call('profiles.addServer', { name: new URL(url).host || url, url });
        await activateProfile(profile.id);
      }
      await refreshProfiles();
    } catch (err) {
      setError(authMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="center-page">
      <form className="card form" onSubmit={submit} aria-labelledby="fr-title" style={{ maxWidth: 480 }}>
        <h1 id="fr-title">
          <Logo /> Welcome to OpsDesk
        </h1>
        <p className="muted" style={{ margin: 0 }}>
          Choose where your work lives. You can add more server profiles later in Settings.
        </p>
        <div className="choice" role="group" aria-label="Workspace type">
          <button type="button" aria-pressed={mode === 'local'} onClick={() => setMode('local')}>
            <strong>Local workspace</strong>
            <br />
            <span className="muted">Runs on this computer</span>
          </button>
          <button type="button" aria-pressed={mode === 'server'} onClick={() => setMode('server')}>
            <strong>Connect to a server</strong>
            <br />
            <span className="muted">Your team&apos;s OpsDesk</span>
          </button>
        </div>
        {mode === 'local' ? (
          <>
            <label>
              Your name
              <input required value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
            </label>
            <label>
              Admin email
              <input
                required
                type="email"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                autoComplete="username"
              />
            </label>
            <label>
              Admin password
              <input
                required
                type="password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                autoComplete="new-password"
                aria-invalid={tooShort}
                aria-describedby="pw-hint"
              />
              <span id="pw-hint" className={tooShort ? 'field-error' : 'field-hint'}>
                At least 12 characters.
              </span>
            </label>
            <label>
              Repeat password
              <input
                required
                type="password"
                value={password2}
                onChange={(e) => setPassword2(e.target.value)}
                autoComplete="new-password"
                aria-invalid={mismatch}
              />
              {mismatch && <span className="field-error">The passwords differ.</span>}
            </label>
          </>
        ) : (
          <label>
            Server URL
            <input
              required
              type="url"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder="https://opsdesk.example.com"
              aria-describedby="url-hint"
            />
            <span id="url-hint" className="field-hint">
              http(s) address of the OpsDesk server.
            </span>
          </label>
        )}
        {error && (
          <div className="alert-box error" role="alert">
            {error}
          </div>
        )}
        <div className="row end">
          {onCancel && (
            <button type="button" onClick={onCancel}>
              Back
            </button>
          )}
          <button className="primary" type="submit" disabled={busy}>
            {busy
              ? mode === 'local'
                ? 'Starting the workspace…'
                : 'Checking the server…'
              : mode === 'local'
                ? 'Create workspace'
                : 'Connect'}
          </button>
        </div>
      </form>
    </main>
  );
}

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
            <label>
              Email
              <input
                required
                type="email"
                autoComplete="username"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                autoFocus={!email}
              />
            </label>
            <label>
              Password
              <input
                required
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                autoFocus={!!email}
              />
            </label>
          </>
        )}
        {error && (
          <div className="alert-box error" role="alert">
            {error}
          </div>
        )}
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
