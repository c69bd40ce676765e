import { create } from 'zustand';
import type { Channel, Rule } from '../../../../shared/api/alerts';
import type { SlaPolicy } from '../../../../shared/api/tickets';
import type { ChannelRequest, ChannelResponse } from '../../../../shared/ipc';
import { call } from '../../api';
import { loadInto, notLoaded, type Loadable } from '../../ui/loadable';

type AdminUser = ChannelResponse<'api.users.list'>[number];
type UserChanges = ChannelRequest<'api.users.update'>['body'];
export type NewUser = ChannelRequest<'api.users.create'>['body'];
export type NewToken = ChannelRequest<'api.apiTokens.create'>['body'];
type AuditQuery = NonNullable<ChannelRequest<'api.audit.list'>>['query'];

export interface AuditFilter {
  action: string;
  targetType: string;
  /** A date (yyyy-mm-dd) or "". */
  from: string;
  cursor?: string;
}

interface AdminState {
  users: Loadable<AdminUser[]>;
  queues: Loadable<ChannelResponse<'queues.list'>>;
  /** Everyone a queue may take as a member. */
  people: Loadable<ChannelResponse<'users.list'>>;
  sla: Loadable<SlaPolicy[]>;
  rules: Loadable<Rule[]>;
  channels: Loadable<Channel[]>;
  tokens: Loadable<ChannelResponse<'api.apiTokens.list'>>;
  audit: Loadable<ChannelResponse<'api.audit.list'>>;
  auditFilter: AuditFilter;
}

export const useAdmin = create<AdminState>(() => ({
  users: notLoaded(),
  queues: notLoaded(),
  people: notLoaded(),
  sla: notLoaded(),
  rules: notLoaded(),
  channels: notLoaded(),
  tokens: notLoaded(),
  audit: notLoaded(),
  auditFilter: { action: '', targetType: '', from: '' },
}));

const fresh = { fresh: true };

// ── users ───────────────────────────────────────────────────────────────────────────────────────
export const loadUsers = (opts = fresh) => loadInto(useAdmin, 'users', () => call('api.users.list'), opts);
export async function updateUser(id: string, changes: UserChanges): Promise<void> {
  await call('api.users.update', { params: { id }, body: changes });
  await loadUsers({ fresh: false });
}
export async function resetMfa(id: string): Promise<void> {
  await call('api.users.mfa.reset', { params: { id } });
  await loadUsers({ fresh: false });
}
export async function createUser(user: NewUser): Promise<void> {
  await call('api.users.create', { body: user });
  await loadUsers({ fresh: false });
}

// ── queues ──────────────────────────────────────────────────────────────────────────────────────
export function loadQueues(opts = fresh): Promise<unknown> {
  return Promise.all([
    loadInto(useAdmin, 'queues', () => call('queues.list'), opts),
    loadInto(useAdmin, 'people', () => call('users.list'), opts),
  ]);
}
const reloadQueues = () => loadInto(useAdmin, 'queues', () => call('queues.list'));
export async function createQueue(name: string): Promise<void> {
  await call('api.queues.create', { body: { name } });
  await reloadQueues();
}
export async function addMember(queueId: string, userId: string): Promise<void> {
  await call('api.queues.members.add', { params: { id: queueId }, body: { userId } });
  await reloadQueues();
}
export async function removeMember(queueId: string, userId: string): Promise<void> {
  await call('api.queues.members.remove', { params: { id: queueId, userId } });
  await reloadQueues();
}

// ── SLA, rules, channels ────────────────────────────────────────────────────────────────────────
export const loadSla = (opts = fresh) => loadInto(useAdmin, 'sla', () => call('api.sla.policies.list'), opts);
export async function saveSla(p: SlaPolicy): Promise<void> {
  await call('api.sla.policies.update', {
    params: { priority: p.priority },
    body: { firstResponseMinutes: p.firstResponseMinutes, resolutionMinutes: p.resolutionMinutes },
  });
  await loadSla({ fresh: false });
}

export const loadRules = (opts = fresh) => loadInto(useAdmin, 'rules', () => call('api.rules.list'), opts);
export async function setRuleEnabled(id: string, enabled: boolean): Promise<void> {
  await call('api.rules.update', { params: { id }, body: { enabled } });
  await loadRules({ fresh: false });
}

export const loadChannels = (opts = fresh) =>
  loadInto(useAdmin, 'channels', () => call('api.channels.list'), opts);
export async function updateChannel(
  id: string,
  changes: Partial<Pick<Channel, 'enabled' | 'severities' | 'url'>>,
): Promise<void> {
  await call('api.channels.update', { params: { id }, body: changes });
  await loadChannels({ fresh: false });
}

// ── API tokens ──────────────────────────────────────────────────────────────────────────────────
export const loadTokens = (opts = fresh) =>
  loadInto(useAdmin, 'tokens', () => call('api.apiTokens.list'), opts);
/** Issues a token and answers its secret (shown once). */
export async function createToken(token: NewToken): Promise<string> {
  const t = await call('api.apiTokens.create', { body: token });
  await loadTokens({ fresh: false });
  return t.token;
}
export async function revokeToken(id: string): Promise<void> {
  await call('api.apiTokens.revoke', { params: { id } });
  await loadTokens({ fresh: false });
}

// ── audit log ───────────────────────────────────────────────────────────────────────────────────
export function auditQuery(f: AuditFilter): AuditQuery {
  return {
    action: f.action || undefined,
    targetType: f.targetType || undefined,
    from: f.from ? new Date(f.from).getTime() : undefined,
    cursor: f.cursor,
    limit: 100,
  };
}
export function loadAudit(opts = fresh): Promise<void> {
  return loadInto(
    useAdmin,
    'audit',
    () => call('api.audit.list', { query: auditQuery(useAdmin.getState().auditFilter) }),
    opts,
  );
}
/** A changed filter starts again at the first page. */
export function setAuditFilter(patch: Partial<AuditFilter>, opts = { fresh: false }): Promise<void> {
  useAdmin.setState((s) => ({ auditFilter: { ...s.auditFilter, cursor: undefined, ...patch } }));
  return loadAudit(opts);
}
