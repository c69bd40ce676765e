import { create } from 'zustand';
import type { Connectivity, Notice, Profile, SessionState, Settings } from '../../../../shared/ipc';
import { call, errorMessage } from '../../api';

interface SessionSlice {
  booted: boolean;
  bootError: string | null;
  session: SessionState;
  profiles: Profile[];
  activeProfileId: string | null;
  connectivity: Connectivity | null;
  settings: Settings | null;
  notices: Notice[];
  unacked: number;
  transport: 'electron' | 'host' | null;
  /** What the desktop core runs on (Settings → Updates shows it). */
  runtime: { node: string; electron: string | null } | null;
}

export const useSession = create<SessionSlice>(() => ({
  booted: false,
  bootError: null,
  session: { status: 'no_profile' },
  profiles: [],
  activeProfileId: null,
  connectivity: null,
  settings: null,
  notices: [],
  unacked: 0,
  transport: null,
  runtime: null,
}));

/** Derived: the signed-in user, or null. */
export function currentUser(s: SessionSlice) {
  return s.session.status === 'signed_in' ? s.session.user : null;
}

export async function boot(): Promise<void> {
  try {
    const [session, profiles, settings, info, notices] = await Promise.all([
      call('session.state'),
      call('profiles.list'),
      call('settings.get'),
      call('app.info'),
      call('app.notices'),
    ]);
    useSession.setState({
      session,
      profiles: profiles.profiles,
      activeProfileId: profiles.activeId,
      settings,
      transport: info.transport,
      runtime: info.runtime,
      notices,
      booted: true,
      bootError: null,
    });
    applyTheme(settings.theme);
    if (session.status === 'signed_in') await afterSignIn();
  } catch (e) {
    useSession.setState({ booted: true, bootError: errorMessage(e) });
  }
}

export async function afterSignIn(): Promise<void> {
  const [connectivity, unacked] = await Promise.all([call('sync.status'), call('alerts.unackedCount')]);
  useSession.setState({ connectivity, unacked });
}

// ── pushed-event handlers (plain module functions) ──────────────────────────────────────────────
export function onSessionChanged(session: SessionState): void {
  const was = useSession.getState().session.status;
  useSession.setState({ session });
  if (session.status === 'signed_in' && was !== 'signed_in')
    void afterSignIn().catch((e: unknown) => console.warn('session: loading after sign-in failed', e));
}
export const onProfilesChanged = (p: { profiles: Profile[]; activeId: string | null }) =>
  useSession.setState({ profiles: p.profiles, activeProfileId: p.activeId });
export const onConnectivity = (connectivity: Connectivity) => useSession.setState({ connectivity });
export const onSyncProgress = (sync: Connectivity['sync']) =>
  useSession.setState((s) => (s.connectivity ? { connectivity: { ...s.connectivity, sync } } : {}));
export const onOutboxCounts = (outbox: Connectivity['outbox']) =>
  useSession.setState((s) => (s.connectivity ? { connectivity: { ...s.connectivity, outbox } } : {}));
export const onUnacked = (unacked: number) => useSession.setState({ unacked });
export const onNotice = (n: Notice) =>
  useSession.setState((s) => ({ notices: [...s.notices.filter((x) => x.code !== n.code), n] }));
export const dismissNotice = (code: string) =>
  useSession.setState((s) => ({ notices: s.notices.filter((n) => n.code !== code) }));

// ── actions ─────────────────────────────────────────────────────────────────────────────────────
export async function login(email: string, password: string): Promise<SessionState> {
  const session = await call('session.login', { email, password });
  onSessionChanged(session);
  return session;
}
export async function submitMfa(code: string): Promise<SessionState> {
  const session = await call('session.mfa', { code });
  onSessionChanged(session);
  return session;
}
export async function logout(): Promise<void> {
  onSessionChanged(await call('session.logout'));
}
export async function activateProfile(id: string): Promise<void> {
  onSessionChanged(await call('profiles.activate', { id }));
  const p = await call('profiles.list');
  onProfilesChanged(p);
}
export async function refreshProfiles(): Promise<void> {
  onProfilesChanged(await call('profiles.list'));
}

/**
 * The core starts the embedded backend, creates the admin, activates the profile and signs in:
 * only pick up the resulting session here.
 */
export async function createLocalWorkspace(admin: {
  adminEmail: string;
  adminName: string;
  adminPassword: string;
}): Promise<void> {
  await call('profiles.addLocal', { name: 'Local workspace', ...admin });
  onSessionChanged(await call('session.state'));
  await refreshProfiles();
}

/** Adds a server profile (the core checks that it is an OpsDesk server) and switches to it. */
export async function connectServer(url: string): Promise<void> {
  const profile = await call('profiles.addServer', { name: new URL(url).host || url, url });
  await activateProfile(profile.id);
  await refreshProfiles();
}

// ── theme ───────────────────────────────────────────────────────────────────────────────────────
const media = typeof matchMedia !== 'undefined' ? matchMedia('(prefers-color-scheme: dark)') : null;
export function resolveTheme(pref: Settings['theme'], prefersDark: boolean): 'light' | 'dark' {
  return pref === 'system' ? (prefersDark ? 'dark' : 'light') : pref;
}
export function applyTheme(pref: Settings['theme']): void {
  document.documentElement.dataset.theme = resolveTheme(pref, media?.matches ?? false);
}
media?.addEventListener('change', () => applyTheme(useSession.getState().settings?.theme ?? 'system'));

export async function updateSettings(patch: Parameters<typeof call<'settings.update'>>[1]): Promise<void> {
  const settings = await call('settings.update', patch);
  useSession.setState({ settings });
  applyTheme(settings.theme);
}
