import axios, { type AxiosError, type AxiosInstance, type Method } from 'axios';
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import type { IpcErrorCode } from '../../../shared/ipc';
import { CoreError } from '../errors';

export interface TokenSource {
  accessToken(): string | null;
  /** Single-flight refresh; rejects with CoreError('session_revoked') when the server refuses. */
  refresh(): Promise<string>;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as Idempotency-Key; makes any method safe to retry. */
  idempotencyKey?: string;
  /** false for the auth routes themselves. */
  auth?: boolean;
  /** Overrides the retry policy (default: retry idempotent calls). */
  retries?: number;
  timeoutMs?: number;
  headers?: Record<string, string>;
  /** Binary answers (attachment downloads) come back as a Buffer; `stream` as a Readable, still encoded. */
  responseType?: 'arraybuffer' | 'stream';
}

export interface ApiResponse<T> {
  status: number;
  data: T;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * HTTP to the OpsDesk server: bearer token, one refresh-and-retry on 401, retries with
 * exponential backoff for idempotent calls, timeouts, and an online flag the UI shows.
 * Events: 'online' (boolean) when reachability changes.
 */
export class ApiClient extends EventEmitter {
  private readonly http: AxiosInstance;
  private tokens: TokenSource | null = null;
  private _online = true;

  /** The server runs on this machine (the local workspace's backend): compressing what it sends only costs CPU on both ends. */
  get local(): boolean {
    const host = new URL(this.baseUrl).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
  }

  constructor(
    readonly baseUrl: string,
    private readonly options: { timeoutMs?: number; maxRetries?: number; backoffMs?: number; userAgent?: string } = {},
  ) {
    super();
    this.http = axios.create({
      baseURL: baseUrl.replace(/\/+$/, ''),
      timeout: options.timeoutMs ?? 15_000,
      validateStatus: () => true,
      // The desktop talks to its own server: never pick up a system proxy for 127.0.0.1.
      proxy: false,
      headers: { 'user-agent': options.userAgent ?? 'OpsDesk-Desktop' },
    });
  }

  setTokenSource(tokens: TokenSource | null): void {
    this.tokens = tokens;
  }

  get online(): boolean {
    return this._online;
  }

  private setOnline(v: boolean): void {
    if (v === this._online) return;
    this._online = v;
    this.emit('online', v);
  }

  /** Performs a request; non-2xx answers become CoreErrors carrying the server's error body. */
  async request<T = unknown>(method: Method, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const res = await this.send(method, path, options);
    if (res.status >= 200 && res.status < 300) return { status: res.status, data: res.data as T };
    throw httpError(res.status, res.data);
  }

  /**
   * A streamed GET (not retried: the caller resumes). A 2xx answer comes back as the raw body stream
   * with its content-encoding; any other answer is read whole and thrown as a CoreError.
   */
  async stream(path: string, options: Pick<RequestOptions, 'query' | 'timeoutMs' | 'headers'> = {}): Promise<{ stream: Readable; encoding: string | null }> {
    const res = await this.send('GET', path, { ...options, retries: 0, responseType: 'stream' });
    const body = res.data as Readable & { headers?: Record<string, string | undefined> };
    if (res.status >= 200 && res.status < 300) return { stream: body, encoding: body.headers?.['content-encoding'] ?? null };
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    throw httpError(res.status, text.startsWith('{') ? (JSON.parse(text) as unknown) : { message: text });
  }

  /** Like request, but answers any HTTP status instead of throwing (for the passthrough and the outbox). */
  async send(method: Method, path: string, options: RequestOptions = {}): Promise<ApiResponse<unknown>> {
    const upper = method.toUpperCase();
    const retryable = IDEMPOTENT.has(upper) || Boolean(options.idempotencyKey);
    const maxRetries = options.retries ?? (retryable ? (this.options.maxRetries ?? 3) : 0);
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
      const useAuth = options.auth !== false && this.tokens;
      if (useAuth) {
        const token = this.tokens!.accessToken() ?? (await this.tokens!.refresh());
        headers.authorization = `Bearer ${token}`;
      }
      let status: number;
      let data: unknown;
      try {
        const res = await this.http.request({ method: upper, url: path, data: options.body, params: options.query, headers, timeout: options.timeoutMs, ...(options.responseType && { responseType: options.responseType }), ...(options.responseType === 'stream' && { decompress: false }) });
        status = res.status;
        data = res.data;
        this.setOnline(true);
      } catch (err) {
        if (!isNetworkError(err)) throw err;
        this.setOnline(false);
        if (attempt < maxRetries) {
          await this.backoff(attempt);
          continue;
        }
        throw new CoreError('offline', `The server at ${this.baseUrl} cannot be reached (${(err as AxiosError).code ?? (err as Error).message})`);
      }
      // An answer that is not returned is not read: a streamed one gives its connection back now.
      const retrying = (status === 401 && useAuth && !refreshed) || ((status >= 500 || status === 429) && retryable && attempt < maxRetries);
      if (retrying && options.responseType === 'stream') (data as Readable).destroy();
      if (status === 401 && useAuth && !refreshed) {
        refreshed = true;
        await this.tokens!.refresh();
        attempt--;
        continue;
      }
      if ((status >= 500 || status === 429) && retryable && attempt < maxRetries) {
        await this.backoff(attempt);
        continue;
      }
      return { status, data };
    }
  }

  private backoff(attempt: number): Promise<void> {
    const base = this.options.backoffMs ?? 250;
    const ms = Math.min(base * 2 ** attempt, 5000) * (0.75 + Math.random() * 0.5);
    return new Promise((r) => setTimeout(r, ms));
  }
}

function isNetworkError(err: unknown): boolean {
  if (!axios.isAxiosError(err)) return false;
  return !err.response;
}

const STATUS_CODES: Record<number, IpcErrorCode> = {
  400: 'validation_failed',
  401: 'session_revoked',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'validation_failed',
  422: 'validation_failed',
  423: 'locked',
  429: 'rate_limited',
};

/** Maps an HTTP error answer to a typed error, keeping the server's message. */
export function httpError(status: number, body: unknown): CoreError {
  const b = (body ?? {}) as { error?: string; message?: string };
  let code: IpcErrorCode = STATUS_CODES[status] ?? (status >= 500 ? 'internal' : 'validation_failed');
  if (b.error === 'invalid_credentials') code = 'invalid_credentials';
  if (b.error === 'mfa_invalid') code = 'invalid_credentials';
  if (b.error === 'weak_password') code = 'validation_failed';
  // Fastify's answer for a route this server does not have (an older server, or not built yet).
  if (status === 404 && typeof b.message === 'string' && /^No route for /.test(b.message)) code = 'not_supported';
  const message = typeof b.message === 'string' ? b.message : `The server answered ${status}`;
  return new CoreError(code, message, { status, body });
}
