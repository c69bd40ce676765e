import { DateTime } from 'luxon';
import { create } from 'zustand';
import type { Policy, PolicyPreview } from '../../../../shared/api/escalation';
import type {
  CreatedFeed,
  Feed,
  ImportResult,
  OnCallNow,
  Schedule,
  ScheduleShifts,
  ScheduleSummary,
} from '../../../../shared/api/oncall';
import type { ChannelRequest, UserRef } from '../../../../shared/ipc';
import { call } from '../../api';
import { loadInto, notLoaded, type Loadable } from '../../ui/loadable';

interface OncallState {
  schedules: Loadable<ScheduleSummary[]>;
  selectedId: string | null;
  schedule: Loadable<Schedule>;
  /** The Monday 00:00 (schedule time) that starts the week the calendar shows. */
  weekStart: number | null;
  shifts: Loadable<ScheduleShifts>;
  people: Loadable<UserRef[]>;
  /** Who is on call now on every schedule (status bar, palette). */
  now: OnCallNow[];
  nowError: string | null;
  /** The feed address created last (shown once, with its copy button). */
  feed: CreatedFeed | null;
  /** The caller's feeds (an admin: all), to revoke one. */
  feeds: Loadable<Feed[]>;
  policies: Loadable<Policy[]>;
  preview: Loadable<PolicyPreview>;
}

export const useOncall = create<OncallState>(() => ({
  schedules: notLoaded(),
  selectedId: null,
  schedule: notLoaded(),
  weekStart: null,
  shifts: notLoaded(),
  people: notLoaded(),
  now: [],
  nowError: null,
  feed: null,
  feeds: notLoaded(),
  policies: notLoaded(),
  preview: notLoaded(),
}));

const WEEK = 7 * 86_400_000;

/** Monday 00:00 of the week holding `at`, in the schedule's zone. */
export function weekStartOf(at: number, zone: string): number {
  return DateTime.fromMillis(at, { zone }).startOf('week').toMillis();
}

/** The seven local midnights of the week, in the schedule's zone (a DST day is 23 or 25 hours long). */
export function weekDays(start: number, zone: string): number[] {
  const first = DateTime.fromMillis(start, { zone });
  return Array.from({ length: 8 }, (_, i) => first.plus({ days: i }).toMillis());
}

// ── schedules ───────────────────────────────────────────────────────────────────────────────────
/** The schedules, and the status bar's "on call" with them (an override made elsewhere shows at once). */
export const loadSchedules = (opts = { fresh: false }) => {
  // A failed refresh is shown in the bar itself (nowError) and logged.
  void loadOnCallNow().catch((e: unknown) => console.warn('on-call: refreshing who is on call failed', e));
  return loadInto(useOncall, 'schedules', () => call('api.oncall.schedules.list'), opts);
};

export function loadPeople(isAdmin: boolean): Promise<void> {
  return loadInto(useOncall, 'people', async () =>
    isAdmin ? (await call('api.users.list')).filter((u) => !u.disabled) : call('users.list'),
  );
}

export async function openSchedule(id: string, weekStart?: number): Promise<void> {
  useOncall.setState({ selectedId: id, feed: null });
  await loadInto(useOncall, 'schedule', () => call('api.oncall.schedules.get', { params: { id } }), {
    fresh: useOncall.getState().schedule.data?.id !== id,
  });
  const s = useOncall.getState().schedule.data;
  if (!s) return;
  const start = weekStart ?? weekStartOf(Date.now(), s.timeZone);
  useOncall.setState({ weekStart: start });
  await loadInto(useOncall, 'shifts', () =>
    call('api.oncall.schedules.shifts', {
      params: { id },
      query: { from: start, to: start + WEEK + 2 * 3_600_000 },
    }),
  );
}

/** Moves the calendar by whole weeks (local Mondays, so a DST week lines up). */
export function moveWeek(weeks: number): Promise<void> {
  const { selectedId, weekStart, schedule } = useOncall.getState();
  if (!selectedId || weekStart === null || !schedule.data) return Promise.resolve();
  const next = DateTime.fromMillis(weekStart, { zone: schedule.data.timeZone }).plus({ weeks }).toMillis();
  return openSchedule(selectedId, next);
}

const reopen = async () => {
  const { selectedId, weekStart } = useOncall.getState();
  await Promise.all([
    loadSchedules(),
    selectedId ? openSchedule(selectedId, weekStart ?? undefined) : null,
    loadOnCallNow(),
  ]);
};

export async function createSchedule(
  body: ChannelRequest<'api.oncall.schedules.create'>['body'],
): Promise<Schedule> {
  const s = await call('api.oncall.schedules.create', { body });
  await loadSchedules();
  await openSchedule(s.id);
  return s;
}

export async function updateSchedule(
  id: string,
  body: ChannelRequest<'api.oncall.schedules.update'>['body'],
): Promise<void> {
  await call('api.oncall.schedules.update', { params: { id }, body });
  await reopen();
}

export async function deleteSchedule(id: string): Promise<void> {
  await call('api.oncall.schedules.delete', { params: { id } });
  useOncall.setState({ selectedId: null, schedule: notLoaded(), shifts: notLoaded() });
  await Promise.all([loadSchedules(), loadOnCallNow()]);
}

export type RotationBody = ChannelRequest<'api.oncall.rotations.create'>['body'];
export async function saveRotation(
  scheduleId: string,
  rotationId: string | null,
  body: RotationBody,
): Promise<void> {
  if (rotationId) await call('api.oncall.rotations.update', { params: { id: rotationId }, body });
  else await call('api.oncall.rotations.create', { params: { id: scheduleId }, body });
  await reopen();
}

export async function deleteRotation(id: string): Promise<void> {
  await call('api.oncall.rotations.delete', { params: { id } });
  await reopen();
}

/** Adds an override, or changes the one named by `overrideId` (who covers whom, when, the note). */
export async function saveOverride(
  scheduleId: string,
  overrideId: string | null,
  body: ChannelRequest<'api.oncall.overrides.create'>['body'],
): Promise<void> {
  if (overrideId) await call('api.oncall.overrides.update', { params: { id: overrideId }, body });
  else await call('api.oncall.overrides.create', { params: { id: scheduleId }, body });
  await reopen();
}

/** Imports an exported calendar (Grafana OnCall, PagerDuty) into the schedule; answers what was created and skipped. */
export async function importCalendar(
  scheduleId: string,
  body: ChannelRequest<'api.oncall.schedules.import'>['body'],
): Promise<ImportResult> {
  const result = await call('api.oncall.schedules.import', { params: { id: scheduleId }, body });
  await reopen();
  return result;
}

export async function deleteOverride(id: string): Promise<void> {
  await call('api.oncall.overrides.delete', { params: { id } });
  await reopen();
}

/** A new secret feed address for the schedule (a calendar app subscribes to its url). */
export async function createFeed(target: { scheduleId: string } | { userId: string }): Promise<void> {
  useOncall.setState({ feed: await call('api.oncall.feeds.create', { body: target }) });
  await loadFeeds();
}

export const loadFeeds = () => loadInto(useOncall, 'feeds', () => call('api.oncall.feeds.list'));

export async function revokeFeed(id: string): Promise<void> {
  await call('api.oncall.feeds.revoke', { params: { id } });
  useOncall.setState((s) => ({ feed: s.feed?.id === id ? null : s.feed }));
  await loadFeeds();
}

// ── who is on call now ──────────────────────────────────────────────────────────────────────────
export async function loadOnCallNow(): Promise<OnCallNow[]> {
  try {
    const now = await call('api.oncall.now');
    useOncall.setState({ now, nowError: null });
    return now;
  } catch (e) {
    useOncall.setState({ nowError: (e as Error).message });
    throw e;
  }
}

/** "Ana Alves (Ops) · Ben Brandt (DB)": the status bar's and the palette's line. */
export function onCallLine(now: OnCallNow[]): string {
  if (now.length === 0) return 'No on-call schedules';
  return now.map((n) => `${n.current ? n.current.userName : 'nobody'} (${n.scheduleName})`).join(' · ');
}

// ── escalation policies ─────────────────────────────────────────────────────────────────────────
export const loadPolicies = (opts = { fresh: false }) =>
  loadInto(useOncall, 'policies', () => call('api.escalation.policies.list'), opts);

export const loadPreview = (id: string) =>
  loadInto(useOncall, 'preview', () => call('api.escalation.policies.preview', { params: { id } }), {
    fresh: useOncall.getState().preview.data?.policyId !== id,
  });

export type PolicyBody = ChannelRequest<'api.escalation.policies.create'>['body'];
export async function savePolicy(id: string | null, body: PolicyBody): Promise<Policy> {
  const saved = id
    ? await call('api.escalation.policies.update', { params: { id }, body })
    : await call('api.escalation.policies.create', { body });
  await loadPolicies();
  await loadPreview(saved.id);
  return saved;
}

export async function deletePolicy(id: string): Promise<void> {
  await call('api.escalation.policies.delete', { params: { id } });
  useOncall.setState({ preview: notLoaded() });
  await loadPolicies();
}
