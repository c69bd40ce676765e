import type { UserAdmin } from '../../../shared/ipc';
import type { CoreContext, DomainChannels, Handlers } from './context';
import { items, online } from './online';

const enc = encodeURIComponent;

/** Maintenance windows, backups, metrics and administration, online (hand-written channels). */
export function operationsHandlers(core: CoreContext): Handlers<DomainChannels<'maintenance' | 'backups' | 'metrics' | 'admin'>> {
  return {
    'maintenance.list': () => online(core, 'GET', '/api/v1/maintenance').then((d) => items(d) as never),
    'maintenance.get': ({ id }) => online(core, 'GET', `/api/v1/maintenance/${enc(id)}`),
    'maintenance.schedule': (body) => online(core, 'POST', '/api/v1/maintenance', { body }),
    'maintenance.cancel': async ({ id }) => (await online(core, 'POST', `/api/v1/maintenance/${enc(id)}/cancel`, { body: {} }), null),

    'backups.list': () => online(core, 'GET', '/api/v1/backups').then((d) => items(d) as never),
    'backups.overview': () => online(core, 'GET', '/api/v1/backups/overview'),
    'backups.manifest': ({ id }) => online(core, 'GET', `/api/v1/backups/${enc(id)}/manifest`),

    'metrics.names': () => online(core, 'GET', '/api/v1/metrics/names'),
    // The server takes each label filter as a repeated `label=name=value` parameter.
    'metrics.series': ({ labels, ...q }) => {
      const filters = (labels ?? []).map((l) => `label=${enc(l)}`).join('&');
      return online(core, 'GET', `/api/v1/metrics/series${filters ? `?${filters}` : ''}`, { query: q });
    },

    'admin.users.list': () => online<UserAdmin[]>(core, 'GET', '/api/v1/users'),
    'admin.users.create': (body) => online<UserAdmin>(core, 'POST', '/api/v1/users', { body }),
    'admin.users.update': ({ id, changes }) => online<UserAdmin>(core, 'PATCH', `/api/v1/users/${enc(id)}`, { body: changes }),
    'admin.users.resetMfa': ({ id }) => online<UserAdmin>(core, 'POST', `/api/v1/users/${enc(id)}/reset-mfa`, { body: {} }),
    'admin.tokens.list': () => online(core, 'GET', '/api/v1/api-tokens'),
    'admin.tokens.create': (body) => online(core, 'POST', '/api/v1/api-tokens', { body }),
    'admin.tokens.revoke': async ({ id }) => (await online(core, 'DELETE', `/api/v1/api-tokens/${enc(id)}`), null),
    'admin.audit': (q) => online(core, 'GET', '/api/v1/audit', { query: q }),
  };
}
