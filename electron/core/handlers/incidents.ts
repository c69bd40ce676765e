import type { CoreContext, DomainChannels, Handlers } from './context';
import { items, online } from './online';

const enc = encodeURIComponent;

/** Incidents, online (the hand-written channels; `api.incidents.*` are derived from the route table). */
export function incidentHandlers(core: CoreContext): Handlers<DomainChannels<'incidents'>> {
  return {
    'incidents.list': ({ state, severity }) => online(core, 'GET', '/api/v1/incidents', { query: { state: state?.join(','), severity } }).then((d) => items(d) as never),
    'incidents.get': ({ id }) => online(core, 'GET', `/api/v1/incidents/${enc(id)}`),
    'incidents.create': (body) => online(core, 'POST', '/api/v1/incidents', { body }),
    'incidents.update': ({ id, changes }) => online(core, 'PATCH', `/api/v1/incidents/${enc(id)}`, { body: changes }),
    'incidents.transition': ({ id, ...body }) => online(core, 'POST', `/api/v1/incidents/${enc(id)}/transition`, { body }),
    // The server answers a note with the Incident; the contract promises the detail with its timeline.
    'incidents.note': async ({ id, ...body }) => {
      await online(core, 'POST', `/api/v1/incidents/${enc(id)}/notes`, { body });
      return online(core, 'GET', `/api/v1/incidents/${enc(id)}`);
    },
    'incidents.link': ({ id, ...body }) => online(core, 'POST', `/api/v1/incidents/${enc(id)}/links`, { body }),
    'incidents.review': ({ id, ...body }) => online(core, 'PUT', `/api/v1/incidents/${enc(id)}/review`, { body }),
  };
}
