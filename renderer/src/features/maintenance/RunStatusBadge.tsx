import type { ProcedureRun } from '../../../../shared/api/procedures';

/** A wizard run's status as a badge: completed ok, failed or aborted bad, else in progress. */
export function RunStatusBadge({ status, testId }: { status: ProcedureRun['status']; testId?: string }) {
  const cls = status === 'completed' ? 'ok' : status === 'failed' || status === 'aborted' ? 'bad' : 'info';
  return (
    <span className={`badge ${cls}`} data-testid={testId}>
      {status}
    </span>
  );
}
