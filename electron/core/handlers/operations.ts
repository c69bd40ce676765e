import type { CoreContext, DomainChannels, Handlers } from './context';
import { route } from './online';

/** Maintenance windows, backups, metrics and administration, online (hand-written channels). */
export function operationsHandlers(core: CoreContext): Handlers<DomainChannels<'maintenance' | 'backups' | 'metrics' | 'admin'>> {
  return {
    'maintenance.list': () => route(core, 'maintenance.list'),
    'maintenance.schedule': (body) => route(core, 'maintenance.create', { body }),
    'maintenance.cancel': async ({ id }) => (await route(core, 'maintenance.cancel', { params: { id } }), null),

    'backups.list': () => route(core, 'backups.list'),
    'backups.overview': () => route(core, 'backups.overview'),
    'backups.manifest': ({ id }) => route(core, 'backups.manifest.get', { params: { id } }),

    // The server takes each label filter as a repeated `label=name=value` parameter.
    'metrics.series': ({ labels, ...q }) => route(core, 'metrics.series', { query: { ...q, label: labels } }),

    'admin.users.list': () => route(core, 'users.list'),
    'admin.users.create': (body) => route(core, 'users.create', { body }),
    'admin.users.update': ({ id, changes }) => route(core, 'users.update', { params: { id }, body: changes }),
    'admin.users.resetMfa': ({ id }) => route(core, 'users.mfa.reset', { params: { id } }),
    'admin.tokens.list': () => route(core, 'apiTokens.list'),
    'admin.tokens.create': (body) => route(core, 'apiTokens.create', { body }),
    'admin.tokens.revoke': async ({ id }) => (await route(core, 'apiTokens.revoke', { params: { id } }), null),
    'admin.audit': (query) => route(core, 'audit.list', { query }),
  };
}
