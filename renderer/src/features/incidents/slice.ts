import { create } from 'zustand';
import type { ChannelRequest, ChannelResponse } from '../../../../shared/ipc';
import {
  INCIDENT_STATES,
  OPEN_INCIDENT_STATES,
  type IncidentState,
} from '../../../../shared/domain/incidents';
import { call } from '../../api';
import { loadInto, notLoaded, type Loadable } from '../../ui/loadable';

type Incident = ChannelResponse<'api.incidents.get'>;
export type IncidentLink = ChannelRequest<'api.incidents.links.create'>['body'];
export type IncidentReview = ChannelRequest<'api.incidents.review.update'>['body'];

interface IncidentsState {
  showClosed: boolean;
  list: Loadable<ChannelResponse<'api.incidents.list'>>;
  /** The incident the detail screen shows. */
  openId: string | null;
  detail: Loadable<Incident>;
}

export const useIncidents = create<IncidentsState>(() => ({
  showClosed: false,
  list: notLoaded(),
  openId: null,
  detail: notLoaded(),
}));

const OPEN_STATES: IncidentState[] = [...OPEN_INCIDENT_STATES];

/** The only allowed next state: detect → acknowledge → diagnose → mitigate → resolve → review. */
export function nextState(s: IncidentState): IncidentState | null {
  const i = INCIDENT_STATES.indexOf(s);
  return INCIDENT_STATES[i + 1] ?? null;
}

export function loadIncidents(opts = { fresh: false }): Promise<void> {
  const { showClosed } = useIncidents.getState();
  return loadInto(
    useIncidents,
    'list',
    () => call('api.incidents.list', { query: showClosed ? {} : { state: OPEN_STATES.join(',') } }),
    opts,
  );
}
/** The list screen opens on the open incidents, without the last visit's rows. */
export function openIncidentList(): Promise<void> {
  useIncidents.setState({ showClosed: false });
  return loadIncidents({ fresh: true });
}
export function setShowClosed(showClosed: boolean): Promise<void> {
  useIncidents.setState({ showClosed });
  return loadIncidents();
}

/** The detail screen shows this incident; `fresh` (opening the screen) forgets the one shown before. */
export function openIncident(id: string, { fresh = true } = {}): Promise<void> {
  useIncidents.setState({ openId: id });
  return loadInto(useIncidents, 'detail', () => call('api.incidents.get', { params: { id } }), { fresh });
}
/** Re-reads the open incident, keeping it on screen meanwhile. */
export function reloadIncident(): Promise<void> {
  const id = useIncidents.getState().openId;
  return id ? openIncident(id, { fresh: false }) : Promise.resolve();
}

/** incidents.changed while the detail screen is open: re-read the incident when it is the one that changed. */
export function onIncidentChanged(p: { id: string }): void {
  if (useIncidents.getState().openId === p.id) void reloadIncident();
}

export async function createIncident(
  body: ChannelRequest<'api.incidents.create'>['body'],
): Promise<ChannelResponse<'api.incidents.create'>> {
  return call('api.incidents.create', { body });
}
export async function transition(id: string, state: IncidentState): Promise<void> {
  await call('api.incidents.transition', { params: { id }, body: { state } });
  await reloadIncident();
}
export async function addNote(id: string, body: string): Promise<void> {
  await call('api.incidents.notes.create', { params: { id }, body: { body } });
  await reloadIncident();
}
export async function addLink(id: string, link: IncidentLink): Promise<void> {
  await call('api.incidents.links.create', { params: { id }, body: link });
  await reloadIncident();
}
export async function saveReview(id: string, review: IncidentReview): Promise<void> {
  await call('api.incidents.review.update', { params: { id }, body: review });
  await reloadIncident();
}
