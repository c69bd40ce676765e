import type { Alert } from '../../../shared/ipc';
import { parseSilence } from '../cache/records';
import { CoreError } from '../errors';
import { write, type CoreContext, type DomainChannels, type Handlers } from './context';
import { route } from './online';

/** Alerts from the cache, acknowledge/resolve through the outbox; silences are made and expired online. */
export function alertHandlers(core: CoreContext): Handlers<DomainChannels<'alerts' | 'silences'>> {
  const cache = () => core.ws().cache;
  return {
    'alerts.list': ({ status, severity, limit }) => ({ items: cache().alerts(status, severity, limit), counts: cache().alertCounts() as Record<Alert['severity'], number> }),
    'alerts.get': ({ id }) => {
      const a = cache().alert(id);
      if (!a) throw new CoreError('not_found', 'Alert not found in the local cache');
      return a;
    },
    'alerts.acknowledge': ({ id }) => write(core, (ws) => ws.outbox.alertAction(id, 'acknowledge', ws.session.user)),
    'alerts.resolve': ({ id }) => write(core, (ws) => ws.outbox.alertAction(id, 'resolve', ws.session.user)),
    'alerts.silenceMany': (req) => write(core, (ws) => ws.outbox.silenceAlerts(req)),
    'alerts.silence': async ({ matchers, durationMinutes, comment }) => {
      const now = core.clock.now();
      const data = await route<'silences.create'>(core, 'silences.create', {
        body: { matchers: matchers.map((m) => ({ name: m.label, value: m.value, isRegex: m.regex, isEqual: true })), startsAt: now, endsAt: now + durationMinutes * 60_000, comment },
      });
      const silence = parseSilence(data);
      cache().putSilence(silence);
      return silence;
    },
    'alerts.unackedCount': () => core.workspace()?.cache.unackedAlertCount() ?? 0,
    'silences.list': () => cache().silences(core.clock.now()),
    'silences.expire': async ({ id }) => {
      await route<'silences.expire'>(core, 'silences.expire', { params: { id } });
      cache().removeSilence(id);
      return null;
    },
  };
}
