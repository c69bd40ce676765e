import { z } from 'zod';
import { Id, Timestamp } from './common';

/* On-call schedules: rotations in layers, overrides, the computed shifts, iCal feeds and import. */

export const ROTATION_KINDS = ['daily', 'weekly', 'custom'] as const;
export const RotationKind = z.enum(ROTATION_KINDS);

const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time of day must be HH:MM (24-hour)');
const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD');
/** An IANA zone name; the server checks it exists. */
export const TimeZone = z.string().trim().min(1).max(64);

export const ScheduleInput = z.object({
  name: z.string().trim().min(1).max(100),
  timeZone: TimeZone,
  description: z.string().max(2000).default(''),
});
export type ScheduleInput = z.infer<typeof ScheduleInput>;
export const SchedulePatch = ScheduleInput.partial();

export const RotationInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    layer: z.number().int().min(1).max(20).default(1),
    kind: RotationKind,
    /** Custom rotations: the shift length in minutes (a multiple of 1440 follows the wall clock). */
    shiftMinutes: z.number().int().min(30).max(60 * 24 * 28).nullable().default(null),
    handoffTime: TimeOfDay,
    startDate: LocalDate,
    participants: z.array(Id).min(1).max(50),
    endsAt: Timestamp.nullable().default(null),
    activeHours: z.object({ from: TimeOfDay, to: TimeOfDay }).nullable().default(null),
  })
  .refine((r) => r.kind !== 'custom' || r.shiftMinutes !== null, { message: 'a custom rotation needs shiftMinutes', path: ['shiftMinutes'] })
  .refine((r) => !r.activeHours || r.activeHours.from !== r.activeHours.to, { message: 'active hours must not start and end at the same time', path: ['activeHours'] });
export type RotationInput = z.infer<typeof RotationInput>;

export const Rotation = z.object({
  id: Id,
  scheduleId: Id,
  name: z.string(),
  layer: z.number().int(),
  kind: RotationKind,
  shiftMinutes: z.number().int().nullable(),
  handoffTime: z.string(),
  startDate: z.string(),
  participants: z.array(Id),
  endsAt: Timestamp.nullable(),
  activeHours: z.object({ from: z.string(), to: z.string() }).nullable(),
  updatedAt: Timestamp,
});
export type Rotation = z.infer<typeof Rotation>;

export const OverrideInput = z
  .object({
    userId: Id,
    coversUserId: Id.nullable().default(null),
    startsAt: Timestamp,
    endsAt: Timestamp,
    note: z.string().max(500).default(''),
  })
  .refine((o) => o.endsAt > o.startsAt, { message: 'endsAt must be after startsAt', path: ['endsAt'] });
export type OverrideInput = z.infer<typeof OverrideInput>;

export const Override = z.object({
  id: Id,
  scheduleId: Id,
  userId: Id,
  coversUserId: Id.nullable(),
  startsAt: Timestamp,
  endsAt: Timestamp,
  note: z.string(),
  createdBy: Id.nullable(),
  createdAt: Timestamp,
});
export type Override = z.infer<typeof Override>;

export const Shift = z.object({
  userId: Id,
  userName: z.string(),
  start: Timestamp,
  end: Timestamp,
  layer: z.union([z.number().int(), z.literal('override')]),
  rotationId: Id.nullable(),
  overrideId: Id.nullable(),
});
export type Shift = z.infer<typeof Shift>;

export const OnCallNow = z.object({
  scheduleId: Id,
  scheduleName: z.string(),
  current: Shift.nullable(),
  next: Shift.nullable(),
});
export type OnCallNow = z.infer<typeof OnCallNow>;

export const Schedule = z.object({
  id: Id,
  name: z.string(),
  timeZone: z.string(),
  description: z.string(),
  rotations: z.array(Rotation),
  /** Overrides that have not ended yet. */
  overrides: z.array(Override),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Schedule = z.infer<typeof Schedule>;

export const ScheduleSummary = Schedule.pick({ id: true, name: true, timeZone: true, description: true, updatedAt: true }).extend({ onCall: OnCallNow });
export type ScheduleSummary = z.infer<typeof ScheduleSummary>;

export const ShiftsQuery = z
  .object({ from: z.coerce.number().int(), to: z.coerce.number().int() })
  .refine((q) => q.to > q.from, { message: 'to must be after from', path: ['to'] })
  .refine((q) => q.to - q.from <= 120 * 86_400_000, { message: 'a range is at most 120 days', path: ['to'] });

export const ScheduleShifts = z.object({
  scheduleId: Id,
  timeZone: z.string(),
  from: Timestamp,
  to: Timestamp,
  layers: z.array(z.object({ layer: z.number().int(), shifts: z.array(Shift) })),
  final: z.array(Shift),
});
export type ScheduleShifts = z.infer<typeof ScheduleShifts>;

/* iCal feeds and import */

export const FeedInput = z.union([z.object({ scheduleId: Id }), z.object({ userId: Id })]);
export type FeedInput = z.infer<typeof FeedInput>;
export const Feed = z.object({
  id: Id,
  scheduleId: Id.nullable(),
  userId: Id.nullable(),
  createdBy: Id.nullable(),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
});
export type Feed = z.infer<typeof Feed>;
/** Only at creation: the secret path of the feed (the token is stored hashed). */
export const CreatedFeed = Feed.extend({ path: z.string().describe('under /api/v1; the token is shown once'), url: z.string().describe('the whole address, from the host the request came to') });
export type CreatedFeed = z.infer<typeof CreatedFeed>;
export const FeedToken = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}\.ics$/, 'not a feed address') });

export const ImportRequest = z.object({
  /** The iCalendar text (Grafana OnCall or PagerDuty export). */
  ics: z.string().min(1).max(2_000_000),
  /** `overrides`: each event becomes an override (covers every layer); `layer`: the events become fixed shifts of that layer. */
  as: z.enum(['overrides', 'layer']).default('overrides'),
  layer: z.number().int().min(1).max(20).default(1),
});
export const ImportResult = z.object({
  created: z.number().int(),
  as: z.enum(['overrides', 'layer']),
  skipped: z.array(z.object({ uid: z.string(), reason: z.string() })),
});
export type ImportResult = z.infer<typeof ImportResult>;
