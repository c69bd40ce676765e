import type { CoreContext, DomainChannels, Handlers } from './context';
import { route } from './online';

/** Incidents, online (the hand-written channels; `api.incidents.*` are derived from the route table). */
export function incidentHandlers(core: CoreContext): Handlers<DomainChannels<'incidents'>> {
  return {
    'incidents.list': ({ state, severity }) => route(core, 'incidents.list', { query: { state: state?.join(','), severity } }),
    'incidents.get': ({ id }) => route(core, 'incidents.get', { params: { id } }),
    'incidents.create': (body) => route(core, 'incidents.create', { body }),
    'incidents.transition': ({ id, ...body }) => route(core, 'incidents.transition', { params: { id }, body }),
    // The server answers a note with the Incident; the contract promises the detail with its timeline.
    'incidents.note': async ({ id, ...body }) => {
      await route(core, 'incidents.notes.create', { params: { id }, body });
      return route(core, 'incidents.get', { params: { id } });
    },
    'incidents.link': ({ id, ...body }) => route(core, 'incidents.links.create', { params: { id }, body }),
    'incidents.review': ({ id, ...body }) => route(core, 'incidents.review.update', { params: { id }, body }),
  };
}
