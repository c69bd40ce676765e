// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { SavedView } from '../../../../shared/ipc';
import { TestBridge } from '../../test-support/fake-bridge';
import { openQueues } from './actions';
import { ticketAt } from './selectors';
import { ALL_TICKETS, useTickets } from './store';

const ticket = (n: number, assigneeId: string | null = null) =>
  ({
    id: `t${n}`,
    number: n,
    subject: `ticket ${n}`,
    status: 'open',
    priority: 'low',
    queueId: null,
    requester: 'r',
    requesterEmail: 'r@x',
    assigneeId,
    tags: [],
    createdAt: 0,
    updatedAt: n,
    firstResponseDueAt: null,
    resolutionDueAt: null,
    slaState: 'none',
    version: 1,
    pending: false,
    conflict: false,
  }) as never;
const mine: SavedView = {
  ...ALL_TICKETS,
  id: 'v-mine',
  name: 'Mine',
  builtIn: false,
  filter: { assignee: 'me' },
};

/** Holds an answer until released, to see what the screen does while a call is in flight. */
function gate<T>(value: T) {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { answer: async () => (await opened, value), open };
}

let bridge: TestBridge;
let meta: ReturnType<typeof gate<SavedView[]>>;

beforeEach(() => {
  meta = gate<SavedView[]>([]);
  bridge = new TestBridge({
    'views.list': meta.answer as never,
    'users.list': [{ id: 'u1', name: 'Ada' }] as never,
    'queues.list': [] as never,
    'tickets.list': ((r: { filter: object }) => ({
      items: [ticket(1, 'u1'), ticket(2)],
      total: 2,
      filter: r.filter,
    })) as never,
  });
  bridge.install();
  useTickets.setState(useTickets.getInitialState());
});

describe('opening the queue screen', () => {
  it('reads the first page once, beside the metadata, and shows it only when the names are in', async () => {
    const opened = openQueues();
    await new Promise((r) => setTimeout(r, 10));
    // The first page was asked for before views.list answered, with the default view.
    expect(bridge.requests('tickets.list')).toEqual([
      { filter: {}, sort: { field: 'updatedAt', dir: 'desc' }, offset: 0, limit: 200 },
    ]);
    expect(ticketAt(useTickets.getState(), 0)).toBeUndefined();
    meta.open();
    await opened;
    await new Promise((r) => setTimeout(r, 10));
    const s = useTickets.getState();
    expect(ticketAt(s, 0)?.number).toBe(1);
    expect(s.total).toBe(2);
    expect(s.users).toEqual([{ id: 'u1', name: 'Ada' }]);
    expect(bridge.requests('tickets.list')).toHaveLength(1);
  });

  it('re-reads when the metadata changes the active view (a remembered view is gone)', async () => {
    useTickets.setState({ views: [ALL_TICKETS, mine], activeViewId: mine.id });
    meta.open();
    await openQueues();
    await new Promise((r) => setTimeout(r, 10));
    const reads = bridge.requests('tickets.list');
    expect(reads.map((r) => r.filter)).toEqual([{ assignee: 'me' }, {}]);
    expect(useTickets.getState().activeViewId).toBe(ALL_TICKETS.id);
    expect(ticketAt(useTickets.getState(), 1)?.number).toBe(2);
  });
});
