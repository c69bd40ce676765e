import { sql, type RawBuilder } from 'kysely';

/**
 * A ticket row as the API's Ticket JSON, built by SQLite (json_object) on the reader thread that
 * read it: the main thread then forwards one string per row instead of receiving 33 columns by
 * structured clone, mapping them (toTicket) and serializing them again. Mirrors `toTicket` and
 * `SlaClock.state` field for field (ticket-json.test.ts compares the two on every SLA state).
 */
export function ticketJson(now: number): RawBuilder<string> {
  const t = (c: string) => sql.ref(`tickets.${c}`);
  const stopped = sql`${t('status')} in ('resolved', 'closed')`;
  const at = sql`coalesce(${t('sla_paused_at')}, ${now})`;
  const responseRunning = sql`${t('first_response_at')} is null`;
  const state = sql`case
    when ${t('response_breached_at')} is not null or ${t('resolution_breached_at')} is not null then 'breached'
    when ${stopped} then 'ok'
    when (${responseRunning} and ${at} >= ${t('response_due_at')}) or ${at} >= ${t('resolution_due_at')} then 'breached'
    when (${responseRunning} and ${at} >= ${t('response_warn_at')}) or ${at} >= ${t('resolution_warn_at')} then 'warning'
    else 'ok' end`;
  const whileResponding = (c: string) => sql`case when ${responseRunning} and not ${stopped} then ${t(c)} end`;
  const unlessStopped = (c: string) => sql`case when ${stopped} then null else ${t(c)} end`;
  return sql<string>`json_object(
    'id', ${t('id')}, 'number', ${t('number')}, 'queueId', ${t('queue_id')}, 'subject', ${t('subject')}, 'description', ${t('description')},
    'requester', json_object('name', ${t('requester_name')}, 'email', ${t('requester_email')}),
    'status', ${t('status')}, 'priority', ${t('priority')}, 'assigneeId', ${t('assignee_id')}, 'tags', json(${t('tags')}),
    'createdBy', ${t('created_by')}, 'createdAt', ${t('created_at')}, 'updatedAt', ${t('updated_at')},
    'resolvedAt', ${t('resolved_at')}, 'closedAt', ${t('closed_at')}, 'version', ${t('version')},
    'sla', json_object(
      'state', ${state},
      'firstResponseDueAt', ${whileResponding('response_due_at')}, 'resolutionDueAt', ${unlessStopped('resolution_due_at')},
      'firstResponseWarnAt', ${whileResponding('response_warn_at')}, 'resolutionWarnAt', ${unlessStopped('resolution_warn_at')},
      'firstRespondedAt', ${t('first_response_at')}, 'pausedAt', ${t('sla_paused_at')},
      'firstResponseBreachedAt', ${t('response_breached_at')}, 'resolutionBreachedAt', ${t('resolution_breached_at')}),
    'source', ${t('source')}, 'cc', json(${t('cc')}), 'mergedIntoId', ${t('merged_into_id')}, 'attachments', json(${t('attachments')}))`;
}
