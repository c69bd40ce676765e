import type {
  ChannelName,
  ChannelRequest,
  ChannelResponse,
  EventName,
  EventPayload,
  IpcError,
  OpsdeskApi,
} from '../../shared/ipc';

/** A failed invoke, carried as an exception inside the renderer so async UI code reads linearly. */
export class ApiError extends Error {
  constructor(
    public readonly code: IpcError['code'],
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
  }
}

function bridge(): OpsdeskApi {
  const api = (window as { opsdesk?: OpsdeskApi }).opsdesk;
  if (!api) throw new ApiError('internal', 'The desktop bridge (window.opsdesk) is not available.');
  return api;
}

type Args<C extends ChannelName> =
  undefined extends ChannelRequest<C> ? [request?: ChannelRequest<C>] : [request: ChannelRequest<C>];

/** Invokes a channel of the contract and unwraps its IpcResult. */
export async function call<C extends ChannelName>(
  channel: C,
  ...request: Args<C>
): Promise<ChannelResponse<C>> {
  const api = bridge();
  const res = await (api.invoke as (c: C, ...r: Args<C>) => ReturnType<OpsdeskApi['invoke']>)(
    channel,
    ...request,
  );
  if (!res.ok) throw new ApiError(res.error.code, res.error.message, res.error.details);
  return res.value as ChannelResponse<C>;
}

export function on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return bridge().on(event, listener);
}

export function hasBridge(): boolean {
  return typeof window !== 'undefined' && !!(window as { opsdesk?: OpsdeskApi }).opsdesk;
}

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
