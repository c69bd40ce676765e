import { CoreError } from '../errors';

/**
 * Checks a URL is http(s) and answers like an OpsDesk server (GET /health/ with a status, a
 * version and its checks); answers the base URL without trailing slashes.
 */
export async function probeServer(raw: string): Promise<string> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CoreError('validation_failed', 'Enter a full server address such as https://opsdesk.example.com');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CoreError('validation_failed', 'The server address must start with http:// or https://');
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  let res: Response;
  try {
    res = await fetch(`${base}/health/`, { signal: AbortSignal.timeout(8000), redirect: 'follow' });
  } catch (err) {
    throw new CoreError('server_unreachable', `No answer from ${base} (${(err as Error).message})`);
  }
  // An answer that is not JSON is reported like any other answer that is not OpsDesk's health report.
  const body = (await res.json().catch((err: unknown) => ({ notJson: (err as Error).message }))) as { status?: unknown; version?: unknown; checks?: unknown; notJson?: string } | null;
  if (!body || typeof body.status !== 'string' || typeof body.version !== 'string' || !Array.isArray(body.checks)) {
    const why = body?.notJson ? `; not JSON: ${body.notJson}` : '';
    throw new CoreError('not_opsdesk_server', `${base} answered, but not like an OpsDesk server (HTTP ${res.status}${why})`);
  }
  return base;
}
