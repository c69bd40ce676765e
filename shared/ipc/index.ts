import type { ChannelName, ChannelRequest, ChannelResponse } from './channels';
import type { EventName, EventPayload } from './events';
import type { IpcResult } from './result';

export * from './channels';
export * from './api-channels';
export * from './events';
export * from './models';
export * from './result';
export * from './deep-link';
export * from './transport';

/**
 * `window.opsdesk`: the whole API the renderer may use, identical in Electron (preload) and in
 * the browser host (WebSocket bridge). Invokes never reject: they answer an IpcResult.
 */
export interface OpsdeskApi {
  invoke<C extends ChannelName>(channel: C, ...request: undefined extends ChannelRequest<C> ? [request?: ChannelRequest<C>] : [request: ChannelRequest<C>]): Promise<IpcResult<ChannelResponse<C>>>;
  /** Subscribes to a pushed event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
