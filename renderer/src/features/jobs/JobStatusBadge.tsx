import { titleCase } from '../../lib/format';

export function JobStatusBadge({ status }: { status: string }) {
  const cls =
    status === 'succeeded'
      ? 'ok'
      : status === 'failed' || status === 'interrupted'
        ? 'bad'
        : status === 'running'
          ? 'info'
          : status === 'awaiting_approval'
            ? 'warn'
            : 'neutral';
  return (
    <span className={`badge ${cls}`} data-testid="job-status">
      {titleCase(status)}
    </span>
  );
}
