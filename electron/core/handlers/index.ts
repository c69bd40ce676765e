import { CHANNEL_NAMES, channels, type ChannelName } from '../../../shared/ipc';
import { checkedAnswer } from '../api/route-forwarder';
import type { HandlerTable } from '../ipc/dispatcher';
import { alertHandlers } from './alerts';
import { appHandlers } from './app';
import type { CoreContext } from './context';
import { jobHandlers } from './jobs';
import { outboxHandlers } from './outbox';
import { profileHandlers } from './profiles';
import { routeHandlers } from './routes';
import { ticketHandlers } from './tickets';

/** The core's handler table: every domain's part merged; the compiler rejects a missing channel. */
export function handlerTable(core: CoreContext): HandlerTable {
  const table: HandlerTable = {
    ...appHandlers(core),
    ...profileHandlers(core),
    ...ticketHandlers(core),
    ...alertHandlers(core),
    ...jobHandlers(core),
    ...outboxHandlers(core),
    ...routeHandlers(core),
  };
  return checkedOnlineAnswers(table);
}

/** Hand-written online channels; the derived ones check their answer in the forwarder. */
function needsCheck(name: ChannelName): boolean {
  const def = channels[name];
  return def.kind === 'online' && !('route' in def);
}

/**
 * Online handlers pass the server's JSON through; parse it with the channel's response schema so
 * the renderer gets the contract's shape (defaults filled, unknown fields dropped), and a server of
 * another version fails here with a clear message instead of deep inside a screen.
 */
function checkedOnlineAnswers(table: HandlerTable): HandlerTable {
  const out: Record<string, (request: unknown) => unknown> = {};
  for (const name of CHANNEL_NAMES) {
    const handler = table[name] as (request: unknown) => unknown;
    if (!needsCheck(name)) {
      out[name] = handler;
      continue;
    }
    out[name] = async (request) => checkedAnswer(name, channels[name].response, await handler(request));
  }
  return out as unknown as HandlerTable;
}
