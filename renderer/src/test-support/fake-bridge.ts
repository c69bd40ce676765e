import type { ChannelName, ChannelRequest, ChannelResponse, OpsdeskApi } from '../../../shared/ipc';

type Answer<C extends ChannelName> =
  ChannelResponse<C> | ((request: ChannelRequest<C>) => ChannelResponse<C> | Promise<ChannelResponse<C>>);
export type Answers = { [C in ChannelName]?: Answer<C> };

/** A `window.opsdesk` for renderer tests: answers the listed channels, records every invoke, fails the rest. */
export class TestBridge {
  readonly calls: { channel: ChannelName; request: unknown }[] = [];
  constructor(private readonly answers: Answers) {}

  /** The requests sent on one channel, oldest first. */
  requests<C extends ChannelName>(channel: C): ChannelRequest<C>[] {
    return this.calls.filter((c) => c.channel === channel).map((c) => c.request as ChannelRequest<C>);
  }

  install(): void {
    const api: OpsdeskApi = {
      invoke: (async (channel: ChannelName, request?: unknown) => {
        this.calls.push({ channel, request });
        const answer = this.answers[channel] as ((r: unknown) => unknown) | unknown;
        if (answer === undefined)
          return { ok: false, error: { code: 'internal', message: `TestBridge: no answer for ${channel}` } };
        const value =
          typeof answer === 'function' ? await (answer as (r: unknown) => unknown)(request) : answer;
        return { ok: true, value };
      }) as OpsdeskApi['invoke'],
      on: () => () => undefined,
    };
    (window as { opsdesk?: OpsdeskApi }).opsdesk = api;
  }
}
