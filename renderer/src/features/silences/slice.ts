import { create } from 'zustand';
import type { Alert, Matcher, Silence } from '../../../../shared/api/alerts';
import { call, errorMessage } from '../../api';
import { loadInto, notLoaded, type Loadable } from '../../ui/loadable';

export type SilenceTab = 'active' | 'expired';

interface SilencesSlice {
  tab: SilenceTab;
  list: Loadable<Silence[]>;
  /** The alerts a silence mutes, by silence id, read when its row is opened. */
  muted: Record<string, Loadable<Alert[]>>;
}

export const useSilences = create<SilencesSlice>(() => ({ tab: 'active', list: notLoaded(), muted: {} }));

/** Active and pending silences together (both still mute or will), or the expired ones. */
export async function loadSilences(opts: { fresh?: boolean } = {}): Promise<void> {
  const tab = useSilences.getState().tab;
  await loadInto(
    useSilences,
    'list',
    async () => {
      if (tab === 'expired') return call('api.silences.list', { query: { state: 'expired' } });
      const [active, pending] = await Promise.all([call('api.silences.list', { query: { state: 'active' } }), call('api.silences.list', { query: { state: 'pending' } })]);
      return [...active, ...pending];
    },
    opts,
  );
}

export function setSilenceTab(tab: SilenceTab): void {
  useSilences.setState({ tab });
  void loadSilences({ fresh: true });
}

export async function loadMuted(id: string): Promise<void> {
  useSilences.setState((s) => ({ muted: { ...s.muted, [id]: { data: s.muted[id]?.data, error: null, loading: true } } }));
  try {
    const data = await call('api.silences.alerts', { params: { id } });
    useSilences.setState((s) => ({ muted: { ...s.muted, [id]: { data, error: null, loading: false } } }));
  } catch (e) {
    useSilences.setState((s) => ({ muted: { ...s.muted, [id]: { data: undefined, error: errorMessage(e), loading: false } } }));
  }
}

/** Ends it now (the desktop's channel also drops it from the cache), then re-reads the list. */
export async function expireSilence(id: string): Promise<void> {
  await call('silences.expire', { id });
  await loadSilences();
}

export async function updateSilence(id: string, patch: { matchers?: Matcher[]; endsAt?: number; comment?: string }): Promise<Silence> {
  const s = await call('api.silences.update', { params: { id }, body: patch });
  await loadSilences();
  return s;
}

/** `name="value"`, `name=~"regex"`, `name!="value"`, `name!~"regex"`, as Alertmanager writes them. */
export function matcherText(m: Matcher): string {
  const op = m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=';
  return `${m.name}${op}"${m.value}"`;
}
