import { create } from 'zustand';
import {
  INCIDENT_STATES,
  type ChannelRequest,
  type ChannelResponse,
  type IncidentState,
} from '../../../../shared/ipc';
import { call } from '../../api';
import { loadInto, notLoaded, type Loadable } from '../../ui/loadable';

type Incident = ChannelResponse<'incidents.get'>;
export type IncidentLink = Omit<ChannelRequest<'incidents.link'>, 'id'>;
export type IncidentReview = Omit<ChannelRequest<'incidents.review'>, 'id'>;

interface IncidentsState {
  showClosed: boolean;
  list: Loadable<ChannelResponse<'incidents.list'>>;
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

const OPEN_STATES: IncidentState[] = ['detected', 'acknowledged', 'diagnosing', 'mitigating'];

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
    () => call('incidents.list', showClosed ? {} : { state: OPEN_STATES }),
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
  return loadInto(useIncidents, 'detail', () => call('incidents.get', { id }), { fresh });
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
  req: ChannelRequest<'incidents.create'>,
): Promise<ChannelResponse<'incidents.create'>> {
  return call('incidents.create', req);
}
export async function transition(id: string, state: IncidentState): Promise<void> {
  await call('incidents.transition', { id, state });
  await reloadIncident();
}
export async function addNote(id: string, body: string): Promise<void> {
  await call('incidents.note', { id, body });
  await reloadIncident();
}
export async function addLink(id: string, link: IncidentLink): Promise<void> {
  await call('incidents.link', { id, ...link });
  await reloadIncident();
}
export async function saveReview(id: string, review: IncidentReview): Promise<void> {
  await call('incidents.review', { id, ...review });
  await reloadIncident();
}
