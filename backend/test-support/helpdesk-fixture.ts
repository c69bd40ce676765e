import type { Queue } from '../../shared/api/queues';
import type { Ticket } from '../../shared/api/tickets';
import { ADMIN, createUserAndLogin, startTestServer, type DbKind, type TestServer } from './harness';

export interface Login {
  id: string;
  accessToken: string;
}

/** Two queues, an admin, an oncall, agent A in queue 1 and agent B in queue 2 (test-only helper). */
export interface HelpdeskFixture {
  admin: Login;
  oncall: Login;
  agentA: Login;
  agentB: Login;
  q1: Queue;
  q2: Queue;
  createTicket(token: string, body?: Record<string, unknown>): Promise<Ticket>;
}

let counter = 0;

export async function helpdeskFixture(server: TestServer): Promise<HelpdeskFixture> {
  const n = counter++;
  const password = 'a-long-test-password-1';
  const admin = await createUserAndLogin(server, { ...ADMIN, email: `admin${n}@example.com`, role: 'admin' });
  const oncall = await createUserAndLogin(server, { email: `oncall${n}@example.com`, password, role: 'oncall' });
  const agentA = await createUserAndLogin(server, { email: `a${n}@example.com`, password, role: 'agent' });
  const agentB = await createUserAndLogin(server, { email: `b${n}@example.com`, password, role: 'agent' });
  const mkQueue = async (name: string, members: string[]) => {
    const res = await server.api<Queue>('POST', '/api/v1/queues', { token: admin.accessToken, body: { name: `${name} ${n}`, memberIds: members } });
    if (res.status !== 201) throw new Error(`queue: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const q1 = await mkQueue('Service Desk', [agentA.id]);
  const q2 = await mkQueue('Database', [agentB.id]);
  return {
    admin,
    oncall,
    agentA,
    agentB,
    q1,
    q2,
    async createTicket(token, body = {}) {
      const res = await server.api<Ticket>('POST', '/api/v1/tickets', {
        token,
        body: { queueId: q1.id, subject: 'Printer on floor 3 is jammed', description: 'Paper stuck in tray 2', requester: { name: 'Rita Requester', email: 'rita@example.com' }, ...body },
      });
      if (res.status !== 201) throw new Error(`ticket: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
  };
}

/** A fresh server on `kind` with the helpdesk fixture in it. */
export async function startHelpdesk(kind: DbKind): Promise<{ server: TestServer; f: HelpdeskFixture }> {
  const server = await startTestServer(kind);
  return { server, f: await helpdeskFixture(server) };
}
