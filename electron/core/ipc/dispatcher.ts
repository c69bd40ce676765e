import { channels, fail, ok, type ChannelName, type ChannelParsedRequest, type ChannelResponse, type IpcResult } from '../../../shared/ipc';
import { CoreError } from '../errors';
import { silentLogger, type Logger } from '../ports';

export type Handler<C extends ChannelName> = (request: ChannelParsedRequest<C>) => Promise<ChannelResponse<C>> | ChannelResponse<C>;
/** One handler per channel of the contract: the compiler rejects a missing or mistyped one. */
export type HandlerTable = { [C in ChannelName]: Handler<C> };
export type Dispatch = (channel: unknown, payload: unknown) => Promise<IpcResult<unknown>>;

/**
 * Turns the handler table into the single entry point both transports call. Every payload is
 * validated with the channel's zod schema first; every failure becomes a typed error value.
 */
export function createDispatcher(table: HandlerTable, logger: Logger = silentLogger): Dispatch {
  return async (channel, payload) => {
    if (typeof channel !== 'string' || !Object.prototype.hasOwnProperty.call(channels, channel)) {
      return fail('unknown_channel', `Unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}`);
    }
    const name = channel as ChannelName;
    const parsed = channels[name].request.safeParse(payload);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first?.path.length ? `${first.path.join('.')}: ` : '';
      return fail('invalid_request', `Invalid ${name} request: ${where}${first?.message ?? 'bad payload'}`, parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })));
    }
    try {
      const value = await (table[name] as (r: unknown) => unknown)(parsed.data);
      return ok(value === undefined ? null : value);
    } catch (err) {
      if (err instanceof CoreError) return { ok: false, error: err.toIpc() };
      logger.error('IPC handler failed', { channel: name, error: (err as Error)?.stack ?? String(err) });
      return fail('internal', 'Something went wrong in the desktop core; details are in its log');
    }
  };
}
