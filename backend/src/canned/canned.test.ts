import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANNED_PLACEHOLDERS, fillPlaceholders, type CannedReply } from '../../../shared/api/canned';
import { DATABASES, type TestServer } from '../../test-support/harness';
import { startHelpdesk, type HelpdeskFixture } from '../../test-support/helpdesk-fixture';

describe.each(DATABASES)('canned replies on %s', (kind) => {
  let server: TestServer;
  let f: HelpdeskFixture;
  beforeAll(async () => void ({ server, f } = await startHelpdesk(kind)));
  afterAll(() => server.dispose());
  const list = async (token: string, q = '') => (await server.api<CannedReply[]>('GET', `/api/v1/canned-replies?q=${encodeURIComponent(q)}`, { token })).body;

  it('admins manage shared snippets, agents their own; each sees the shared ones and only their own', async () => {
    const shared = await server.api<CannedReply>('POST', '/api/v1/canned-replies', { token: f.admin.accessToken, body: { name: 'Password reset', body: 'Hi {{requester.name}}, reset it at https://id.example. — {{agent.name}}', shared: true } });
    expect(shared.status).toBe(201);
    expect(shared.body).toMatchObject({ shared: true, ownerId: null });
    expect((await server.api('POST', '/api/v1/canned-replies', { token: f.agentA.accessToken, body: { name: 'Sneaky', body: 'x', shared: true } })).status).toBe(403);
    const mine = await server.api<CannedReply>('POST', '/api/v1/canned-replies', { token: f.agentA.accessToken, body: { name: 'My sign-off', body: 'Cheers, {{agent.name}} (ticket #{{ticket.number}})' } });
    expect(mine.body).toMatchObject({ shared: false, ownerId: f.agentA.id });
    expect((await list(f.agentA.accessToken)).map((c) => c.name)).toEqual(['My sign-off', 'Password reset']);
    expect((await list(f.agentB.accessToken)).map((c) => c.name)).toEqual(['Password reset']);
    expect((await list(f.agentA.accessToken, 'reset')).map((c) => c.name)).toEqual(['Password reset']);
    // Another agent can neither change nor delete A's snippet (not found), nor a shared one (forbidden).
    expect((await server.api('PATCH', `/api/v1/canned-replies/${mine.body.id}`, { token: f.agentB.accessToken, body: { body: 'hijacked' } })).status).toBe(404);
    expect((await server.api('DELETE', `/api/v1/canned-replies/${shared.body.id}`, { token: f.agentB.accessToken })).status).toBe(403);
    expect((await server.api('POST', '/api/v1/canned-replies', { token: f.agentA.accessToken, body: { name: 'my SIGN-OFF', body: 'dup' } })).status).toBe(409);
    const bad = await server.api('POST', '/api/v1/canned-replies', { token: f.agentA.accessToken, body: { name: 'Typo', body: 'Hi {{requester.nmae}}' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('unknown placeholder');
    expect((await server.api('DELETE', `/api/v1/canned-replies/${mine.body.id}`, { token: f.agentA.accessToken })).status).toBe(204);
    expect((await list(f.agentA.accessToken)).map((c) => c.name)).toEqual(['Password reset']);
  });

  it('fills every placeholder from the ticket and the agent, and leaves unknown ones as written', () => {
    const values = { 'requester.name': 'Rita', 'requester.email': 'rita@example.com', 'ticket.number': '42', 'ticket.subject': 'VPN', 'agent.name': 'Ada' };
    expect(Object.keys(values).sort()).toEqual([...CANNED_PLACEHOLDERS].sort());
    expect(fillPlaceholders('Hi {{ requester.name }} <{{requester.email}}>, #{{ticket.number}} "{{ticket.subject}}" — {{agent.name}} {{other.thing}}', values)).toBe('Hi Rita <rita@example.com>, #42 "VPN" — Ada {{other.thing}}');
  });
});
