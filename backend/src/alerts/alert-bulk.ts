import type { BulkAlertRequest, BulkAlertResult } from '../../../shared/api/alerts';
import type { Actor } from '../audit/audit-log';
import { AppError } from '../platform/http/errors';
import type { AlertService } from './alert-service';

/** Acknowledges or resolves each alert on its own; an alert that is missing or already resolved is reported in `failed`. */
export async function bulkAlerts(alerts: AlertService, actor: Actor & { id: string }, req: BulkAlertRequest): Promise<BulkAlertResult> {
  const result: BulkAlertResult = { done: [], failed: [] };
  for (const id of [...new Set(req.ids)]) {
    try {
      const alert = req.action === 'acknowledge' ? await alerts.acknowledge(actor, id) : await alerts.resolve(actor, id, req.reason);
      result.done.push({ id, status: alert.status });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      result.failed.push({ id, error: err.code, message: err.message });
    }
  }
  return result;
}
