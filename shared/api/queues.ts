import { z } from 'zod';
import { QueueCalendar } from './calendars';
import { Id, Timestamp } from './common';

export const QueueName = z.string().trim().min(1).max(80);

export const Queue = z.object({
  id: Id,
  name: z.string(),
  description: z.string(),
  memberIds: z.array(Id),
  /** The business-hours calendar its SLA clocks follow; null: around the clock. */
  slaCalendar: QueueCalendar.nullable().default(null),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Queue = z.infer<typeof Queue>;

export const CreateQueueRequest = z.object({
  name: QueueName,
  description: z.string().trim().max(2000).default(''),
  memberIds: z.array(Id).max(500).default([]),
});
export type CreateQueueRequest = z.infer<typeof CreateQueueRequest>;

export const UpdateQueueRequest = z
  .object({ name: QueueName, description: z.string().trim().max(2000) })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateQueueRequest = z.infer<typeof UpdateQueueRequest>;

export const AddQueueMemberRequest = z.object({ userId: Id });
export const QueueMemberParams = z.object({ id: Id, userId: Id });
