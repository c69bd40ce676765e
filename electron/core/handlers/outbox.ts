import type { CoreContext, DomainChannels, Handlers } from './context';

/** The outbox as the user manages it, and the popups shown this run. */
export function outboxHandlers(core: CoreContext): Handlers<DomainChannels<'outbox' | 'notifications'>> {
  return {
    'outbox.list': () => core.ws().outbox.list(),
    'outbox.retry': ({ id }) => {
      const item = core.ws().outbox.retry(id);
      core.ws().kick();
      return item;
    },
    'outbox.discard': ({ id }) => (core.ws().outbox.discard(id), null),
    'outbox.resolveConflict': ({ id, choice }) => {
      core.ws().outbox.resolveConflict(id, choice);
      core.ws().kick();
      return null;
    },

    'notifications.history': () => core.notifications.history,
    'notifications.clicked': ({ notificationId }) => (core.notifications.clicked(notificationId), null),
    'notifications.acknowledge': ({ notificationId }) => (core.notifications.acknowledge(notificationId), null),
  };
}
