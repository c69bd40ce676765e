import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, channels, EVENT_NAMES, parseDeepLink, type OpsdeskApi } from './index';

describe('IPC contract', () => {
  it('gives every channel a request and a response schema', () => {
    expect(CHANNEL_NAMES.length).toBeGreaterThan(50);
    for (const name of CHANNEL_NAMES) {
      expect(channels[name].request, name).toBeDefined();
      expect(channels[name].response, name).toBeDefined();
    }
    expect(EVENT_NAMES).toContain('navigate');
  });

  it('fills defaults so the renderer may omit them', () => {
    const parsed = channels['tickets.list'].request.parse({});
    expect(parsed).toMatchObject({ offset: 0, limit: 100, sort: { field: 'updatedAt', dir: 'desc' }, filter: {} });
    expect(channels['session.state'].request.parse(undefined)).toBeUndefined();
  });

  it('rejects bad payloads', () => {
    expect(channels['tickets.update'].request.safeParse({ ticketId: 't1', changes: {} }).success).toBe(false);
    expect(channels['tickets.update'].request.safeParse({ ticketId: 't1', changes: { status: 'bogus' } }).success).toBe(false);
    expect(channels['app.openExternal'].request.safeParse({ url: 'javascript:alert(1)' }).success).toBe(false);
    // A derived channel takes only its route's parts, each checked with the route's schema.
    expect(channels['api.auth.me.get'].request.safeParse({ path: '/health/' }).success).toBe(false);
    expect(channels['api.incidents.get'].request.safeParse({ params: {} }).success).toBe(false);
  });

  it('derives no channel for the routes only the core calls', () => {
    expect(CHANNEL_NAMES).not.toContain('api.auth.refresh');
    expect(CHANNEL_NAMES).not.toContain('api.auth.login');
  });

  it('parses deep links', () => {
    expect(parseDeepLink('opsdesk://ticket/42')).toEqual({ kind: 'ticket', number: 42 });
    expect(parseDeepLink('opsdesk://alert/al_9')).toEqual({ kind: 'alert', id: 'al_9' });
    expect(parseDeepLink('opsdesk://ticket/abc')).toBeNull();
    expect(parseDeepLink('https://ticket/1')).toBeNull();
  });

  it('types invoke from the contract', () => {
    // Compile-time only: these lines fail `tsc` if the derived types drift.
    const api = null as unknown as OpsdeskApi;
    const check = async () => {
      const r = await api.invoke('tickets.list', { limit: 10 });
      if (r.ok) r.value.items[0]?.number.toFixed();
      await api.invoke('session.state');
      // @ts-expect-error wrong payload
      await api.invoke('tickets.get', { nope: 1 });
      api.on('navigate', (link) => (link.kind === 'ticket' ? link.number : link.id));
    };
    expect(typeof check).toBe('function');
  });
});
