import { create } from 'zustand';

export const SCREENS = [
  'queues',
  'ticket',
  'alerts',
  'silences',
  'incidents',
  'runbooks',
  'job',
  'maintenance',
  'procedures',
  'oncall',
  'probes',
  'services',
  'monitoring',
  'dashboard',
  'reports',
  'backups',
  'admin',
  'settings',
] as const;
export type Screen = (typeof SCREENS)[number];
export interface Route {
  screen: Screen;
  /** Ticket number, alert/incident/job/window id, depending on the screen. */
  id?: string;
}

interface UiState {
  route: Route;
  paletteOpen: boolean;
  shortcutsOpen: boolean;
  outboxOpen: boolean;
  newTicketOpen: boolean;
}

export function parseHash(hash: string): Route {
  const [screen, id] = hash.replace(/^#\/?/, '').split('/');
  if (screen && (SCREENS as readonly string[]).includes(screen))
    return { screen: screen as Screen, id: id ? decodeURIComponent(id) : undefined };
  return { screen: 'queues' };
}

export function routeToHash(r: Route): string {
  return `#/${r.screen}${r.id ? `/${encodeURIComponent(r.id)}` : ''}`;
}

export const useUi = create<UiState>(() => ({
  route: typeof location !== 'undefined' ? parseHash(location.hash) : { screen: 'queues' },
  paletteOpen: false,
  shortcutsOpen: false,
  outboxOpen: false,
  newTicketOpen: false,
}));

export function navigate(route: Route): void {
  useUi.setState({ route, paletteOpen: false });
  if (typeof location !== 'undefined' && location.hash !== routeToHash(route))
    history.pushState(null, '', routeToHash(route));
}

export function syncRouteFromLocation(): void {
  useUi.setState({ route: parseHash(location.hash) });
}

export const setPalette = (open: boolean) => useUi.setState({ paletteOpen: open });
export const setShortcuts = (open: boolean) => useUi.setState({ shortcutsOpen: open });
export const setOutboxOpen = (open: boolean) => useUi.setState({ outboxOpen: open });
export const setNewTicket = (open: boolean) => useUi.setState({ newTicketOpen: open, paletteOpen: false });
