import { describe, expect, it } from 'vitest';
import { PAGE, useTickets } from './store';
import { effectiveFilter, ticketAt, userName } from './selectors';

describe('queue slice', () => {
  it('combines the saved view filter with ad-hoc search and filters', () => {
    useTickets.setState({
      views: [
        {
          id: 'builtin:my-open',
          name: 'My open',
          builtIn: true,
          shared: false,
          ownerName: null,
          mine: true,
          pending: false,
          filter: { assignee: 'me', status: ['new', 'open'] },
          sort: { field: 'updatedAt', dir: 'desc' },
        },
      ],
      activeViewId: 'builtin:my-open',
      text: ' printer ',
      priorityFilter: ['high'],
      statusFilter: undefined,
    });
    expect(effectiveFilter(useTickets.getState())).toEqual({
      assignee: 'me',
      status: ['new', 'open'],
      text: 'printer',
      priority: ['high'],
    });
  });

  it('reads rows from loaded pages by absolute index', () => {
    const t = (n: number) => ({ id: `t${n}`, number: n }) as never;
    useTickets.setState({
      pages: new Map([
        [0, [t(1)]],
        [2, [t(401), t(402)]],
      ]),
    });
    const s = useTickets.getState();
    expect(ticketAt(s, 0)).toMatchObject({ number: 1 });
    expect(ticketAt(s, 2 * PAGE + 1)).toMatchObject({ number: 402 });
    expect(ticketAt(s, PAGE)).toBeUndefined();
  });

  it('names assignees', () => {
    const users = [{ id: 'u1', name: 'Ada', email: 'a@x', role: 'agent' as const, disabled: false }];
    expect(userName({ users }, 'u1')).toBe('Ada');
    expect(userName({ users }, null)).toBe('Unassigned');
  });
});
