import http from 'node:http';

/** The Engine API version the driver speaks (Docker 20.10 and every later daemon accept it). */
const API = '/v1.41';

export class DockerApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'DockerApiError';
  }
}

/** The parts of `GET /containers/{id}/json` the driver reads (and passes back on create). */
export interface ContainerInspect {
  Id: string;
  Name: string;
  Created: string;
  RestartCount: number;
  Config: Record<string, unknown> & { Image: string; Cmd?: string[] | null; Labels: Record<string, string> | null; Hostname?: string };
  HostConfig: Record<string, unknown> & { NetworkMode?: string };
  NetworkSettings: { Networks: Record<string, { Aliases: string[] | null }> | null };
  State: { Status: string; Running: boolean; ExitCode: number; StartedAt: string; FinishedAt: string; Error: string; Health?: { Status: string; Log?: { Output: string }[] } };
}

export interface ContainerSummary {
  Id: string;
  Names: string[];
  Labels: Record<string, string>;
  State: string;
  Created: number;
}

/**
 * The Docker Engine API over its unix socket (plain HTTP, no client library): the few calls the
 * driver makes, JSON in and out, errors carrying the daemon's own message.
 */
export class DockerApi {
  constructor(readonly socketPath: string) {}

  request<T>(method: string, path: string, body?: unknown, timeoutMs = 60_000): Promise<T> {
    return this.raw(method, path, body, timeoutMs).then((buf) => (buf.length ? (JSON.parse(buf.toString('utf8')) as T) : (undefined as T)));
  }

  /** Resolves once the daemon answers `GET /_ping`. */
  async ping(): Promise<void> {
    await this.raw('GET', '/_ping', undefined, 5000);
  }

  private raw(method: string, path: string, body: unknown, timeoutMs: number): Promise<Buffer> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(
        { socketPath: this.socketPath, method, path: API + path, headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}, timeout: timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const buf = Buffer.concat(chunks);
            const status = res.statusCode ?? 0;
            if (status < 400) return resolve(buf);
            let message = buf.toString('utf8').trim();
            try {
              message = (JSON.parse(message) as { message?: string }).message ?? message;
            } catch (e) {
              if (!(e instanceof SyntaxError)) throw e;
              // not JSON: the daemon's plain-text message is used as it is
            }
            reject(new DockerApiError(status, `docker ${method} ${path}: ${status} ${message}`));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`docker ${method} ${path}: no answer within ${timeoutMs} ms`)));
      req.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' || e.code === 'ECONNREFUSED' ? new Error(`Docker is not reachable on ${this.socketPath} (${e.code})`, { cause: e }) : e));
      req.end(payload);
    });
  }

  /** Containers carrying every given label (`key=value`), running or not. */
  list(labels: string[]): Promise<ContainerSummary[]> {
    const filters = encodeURIComponent(JSON.stringify({ label: labels }));
    return this.request('GET', `/containers/json?all=1&filters=${filters}`);
  }

  inspect(id: string): Promise<ContainerInspect> {
    return this.request('GET', `/containers/${encodeURIComponent(id)}/json`);
  }

  create(name: string, body: Record<string, unknown>): Promise<{ Id: string }> {
    return this.request('POST', `/containers/create?name=${encodeURIComponent(name)}`, body);
  }

  start(id: string): Promise<void> {
    return this.request('POST', `/containers/${encodeURIComponent(id)}/start`);
  }

  /** Graceful: SIGTERM (or the image's StopSignal), SIGKILL after `timeoutS` seconds. */
  stop(id: string, timeoutS: number): Promise<void> {
    return this.request<void>('POST', `/containers/${encodeURIComponent(id)}/stop?t=${timeoutS}`, undefined, (timeoutS + 30) * 1000).catch((e: unknown) => {
      // 304: already stopped.
      if (!(e instanceof DockerApiError && e.status === 304)) throw e;
    });
  }

  remove(id: string): Promise<void> {
    return this.request('DELETE', `/containers/${encodeURIComponent(id)}?force=true`);
  }

  /** Follows a container's output written since `sinceMs`, line by line, until `stop()`. */
  follow(id: string, sinceMs: number, onLine: (line: string) => void, onError: (e: Error) => void): { stop(): void } {
    const splitter = new LogStreamSplitter(onLine);
    let stopped = false;
    const req = http.request({ socketPath: this.socketPath, method: 'GET', path: `${API}/containers/${encodeURIComponent(id)}/logs?stdout=1&stderr=1&follow=1&since=${Math.floor(sinceMs / 1000)}` }, (res) => {
      if ((res.statusCode ?? 0) >= 400) {
        res.resume();
        return onError(new DockerApiError(res.statusCode ?? 0, `docker logs of ${id.slice(0, 12)}: ${res.statusCode}`));
      }
      res.on('data', (c: Buffer) => splitter.push(c));
      res.on('end', () => splitter.end());
      res.on('error', (e) => stopped || onError(e));
    });
    req.on('error', (e) => stopped || onError(e));
    req.end();
    return {
      stop: () => {
        stopped = true;
        splitter.end();
        req.destroy();
      },
    };
  }

  /** The last `tail` lines of stdout and stderr (a container without a TTY multiplexes both). */
  async logs(id: string, tail: number): Promise<string[]> {
    const buf = await this.raw('GET', `/containers/${encodeURIComponent(id)}/logs?stdout=1&stderr=1&timestamps=1&tail=${tail}`, undefined, 30_000);
    return splitLines(demultiplex(buf));
  }
}

/**
 * Splits a live logs stream into lines as it arrives: frames (8-byte header, then the payload)
 * and lines may both be cut anywhere between two chunks.
 */
export class LogStreamSplitter {
  private pending = Buffer.alloc(0);
  private text = '';
  private framed: boolean | null = null;

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    if (this.framed === null && this.pending.length >= 4) this.framed = this.pending[0]! <= 2 && this.pending[1] === 0 && this.pending[2] === 0 && this.pending[3] === 0;
    if (this.framed === null) return;
    if (!this.framed) {
      this.emit(this.pending.toString('utf8'));
      this.pending = Buffer.alloc(0);
      return;
    }
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      this.emit(this.pending.subarray(8, 8 + size).toString('utf8'));
      this.pending = this.pending.subarray(8 + size);
    }
  }

  /** The last line, when the stream ends without a newline. */
  end(): void {
    if (this.text) this.onLine(this.text);
    this.text = '';
  }

  private emit(text: string): void {
    const parts = (this.text + text).split('\n');
    this.text = parts.pop()!;
    for (const p of parts) if (p) this.onLine(p);
  }
}

/** Strips the 8-byte frame headers of an attach/logs stream (stream type, 0, 0, 0, big-endian size). */
export function demultiplex(buf: Buffer): string {
  // A TTY container's stream has no frames: its first byte is not a stream type (0, 1 or 2).
  if (buf.length < 8 || buf[0]! > 2 || buf[1] !== 0 || buf[2] !== 0 || buf[3] !== 0) return buf.toString('utf8');
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= buf.length) {
    const size = buf.readUInt32BE(at + 4);
    parts.push(buf.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

function splitLines(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 0);
}
