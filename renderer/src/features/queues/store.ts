import { create } from 'zustand';
import type {
  ChannelResponse,
  Queue,
  SavedView,
  TicketFilter,
  TicketSort,
  TicketSummary,
  UserRef,
} from '../../../../shared/ipc';

export const PAGE = 200;

/** The unfiltered list, offered by the UI beside the core's built-in views (and the first one shown). */
export const ALL_TICKETS: SavedView = {
  id: 'ui:all',
  name: 'All tickets',
  builtIn: true,
  filter: {},
  sort: { field: 'updatedAt', dir: 'desc' },
  shared: false,
  ownerName: null,
  mine: true,
  pending: false,
};

export interface QueueSlice {
  views: SavedView[];
  activeViewId: string | null;
  /** Ad-hoc refinements on top of the active view's filter. */
  text: string;
  statusFilter: TicketFilter['status'];
  priorityFilter: TicketFilter['priority'];
  sort: TicketSort;
  total: number | null;
  /** Loaded pages of the current list, by page index. Replaced (not mutated) on change. */
  pages: Map<number, TicketSummary[]>;
  /** Bumped when the list must be re-read (filter change or tickets.changed). */
  generation: number;
  loading: boolean;
  error: string | null;
  cursor: number;
  checked: Set<string>;
  /** "Select all N matching": bulk changes go to the whole view on the server, not the checked rows. */
  allMatching: boolean;
  /** The last bulk change's outcome, shown until dismissed. */
  bulkOutcome: ChannelResponse<'tickets.bulkApply'> | null;
  users: UserRef[];
  queues: Queue[];
}

export const useTickets = create<QueueSlice>(() => ({
  // The first list read needs no metadata: it starts beside views.list (see openQueues).
  views: [ALL_TICKETS],
  activeViewId: ALL_TICKETS.id,
  text: '',
  statusFilter: undefined,
  priorityFilter: undefined,
  sort: { field: 'updatedAt', dir: 'desc' },
  total: null,
  pages: new Map(),
  generation: 0,
  loading: false,
  error: null,
  cursor: 0,
  checked: new Set(),
  allMatching: false,
  bulkOutcome: null,
  users: [],
  queues: [],
}));
