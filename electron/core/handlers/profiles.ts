import { rmSync } from 'node:fs';
import { probeServer } from '../profiles/server-probe';
import { toPublicProfile } from '../profiles/profile-store';
import { secretAccount } from '../secrets/open-secret-store';
import { Workspace } from '../workspace';
import type { CoreContext, DomainChannels, Handlers } from './context';

/** Server profiles, the session of the active one, and its connectivity and sync. */
export function profileHandlers(core: CoreContext): Handlers<DomainChannels<'profiles' | 'session' | 'sync'>> {
  const { profiles, deps } = core;

  /** Closes the profile's workspace if it is open and deletes its data folder. */
  const forget = async (id: string) => {
    if (core.workspace()?.profile.id === id) await core.closeWorkspace();
    profiles.remove(id);
    rmSync(profiles.dataDir(id), { recursive: true, force: true });
    core.emitProfiles();
  };

  return {
    'profiles.list': () => ({ profiles: profiles.list().map(toPublicProfile), activeId: profiles.activeId }),
    'profiles.addServer': async ({ name, url }) => {
      const base = await probeServer(url);
      const p = profiles.add({ name, kind: 'server', url: base }, core.clock.now());
      core.emitProfiles();
      return toPublicProfile(p);
    },
    'profiles.addLocal': async ({ name, adminEmail, adminName, adminPassword }) => {
      const p = profiles.add({ name, kind: 'local', url: null }, core.clock.now());
      try {
        const embedded = Workspace.embeddedFor(p, { profiles, secrets: deps.secrets, clock: core.clock, logger: core.logger, appRoot: deps.paths.appRoot, embeddedLauncher: deps.embeddedLauncher });
        await embedded.createFirstAdmin({ email: adminEmail, name: adminName, password: adminPassword });
        await core.activate(p.id);
        await core.ws().session.login(adminEmail, adminPassword);
      } catch (err) {
        await forget(p.id);
        throw err;
      }
      core.emitProfiles();
      return toPublicProfile(profiles.get(p.id));
    },
    'profiles.remove': async ({ id }) => {
      const p = profiles.get(id);
      if (core.workspace()?.profile.id === id) await core.closeWorkspace();
      if (p.lastUserEmail) {
        await deps.secrets.delete(secretAccount(id, p.lastUserEmail)).catch((err: unknown) => core.logger.warn('profiles: could not delete the stored token', { profileId: id, error: (err as Error).message }));
      }
      await forget(id);
      core.emit('session.changed', { status: 'no_profile' });
      return null;
    },
    'profiles.activate': ({ id }) => core.activate(id),

    'session.state': () => core.workspace()?.session.current() ?? { status: 'no_profile' },
    'session.login': ({ email, password }) => core.ws().session.login(email, password),
    'session.mfa': ({ code }) => core.ws().session.completeMfa(code),
    'session.logout': () => core.ws().session.logout(),

    'sync.status': () => connectivity(core),
    'sync.now': async () => {
      const ws = core.signedIn();
      await ws.syncNow();
      return ws.connectivity();
    },
  };
}

function connectivity(core: CoreContext) {
  return (
    core.workspace()?.connectivity() ?? {
      online: false,
      live: 'disconnected' as const,
      sync: { phase: 'idle' as const, done: 0, total: null, lastSyncedAt: null, error: null },
      outbox: { pending: 0, failed: 0, conflicts: 0 },
      serverLabel: null,
    }
  );
}
