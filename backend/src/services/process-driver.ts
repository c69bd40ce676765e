import { spawn, type ChildProcess } from 'node:child_process';
import type { ServiceSpec, ServiceStatus } from '../../../shared/api/services';
import { probe } from './health-probe';
import type { ServiceDriver } from './service-driver';

const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;
/** A replica that stayed up this long resets its backoff. */
const STABLE_MS = 10_000;

interface Replica {
  index: number;
  child: ChildProcess | null;
  state: 'starting' | 'running' | 'stopping' | 'stopped' | 'crashed' | 'backoff';
  startedAt: number | null;
  restarts: number;
  lastExit: string | null;
  wanted: boolean;
  backoffTimer: NodeJS.Timeout | null;
  exited: Promise<void>;
}

interface Supervised {
  spec: ServiceSpec;
  replicas: Replica[];
  desired: number;
}

/**
 * The embedded driver: supervises OS processes. Each replica is its own process group; a crash is
 * restarted with exponential backoff; stop is SIGTERM then SIGKILL after `stopTimeoutMs`.
 */
export class ProcessDriver implements ServiceDriver {
  readonly name = 'process';
  private readonly services = new Map<string, Supervised>();
  private closed = false;

  private entry(spec: ServiceSpec): Supervised {
    let s = this.services.get(spec.name);
    if (!s) this.services.set(spec.name, (s = { spec, replicas: [], desired: spec.replicas }));
    return s;
  }

  async start(spec: ServiceSpec, log: (line: string) => void = () => {}): Promise<void> {
    const s = this.entry(spec);
    await this.reconcile(s, s.desired, log);
    await this.waitHealthy(s, log);
  }

  async stop(spec: ServiceSpec, log: (line: string) => void = () => {}): Promise<void> {
    const s = this.entry(spec);
    await Promise.all(s.replicas.map((r) => this.stopReplica(s, r, log)));
    s.replicas = [];
  }

  async restart(spec: ServiceSpec, log: (line: string) => void = () => {}): Promise<void> {
    const s = this.entry(spec);
    log(`stopping ${s.replicas.filter((r) => r.child).length} replica(s) of ${spec.name} gracefully`);
    await this.stop(spec, log);
    log(`starting ${s.desired} replica(s) of ${spec.name}`);
    await this.start(spec, log);
  }

  async scale(spec: ServiceSpec, replicas: number, log: (line: string) => void = () => {}): Promise<void> {
    const s = this.entry(spec);
    s.desired = replicas;
    await this.reconcile(s, replicas, log);
    await this.waitHealthy(s, log);
  }

  private async reconcile(s: Supervised, desired: number, log: (line: string) => void): Promise<void> {
    const live = s.replicas.filter((r) => r.wanted);
    for (let i = live.length; i < desired; i++) {
      const index = nextIndex(s);
      const r: Replica = { index, child: null, state: 'starting', startedAt: null, restarts: 0, lastExit: null, wanted: true, backoffTimer: null, exited: Promise.resolve() };
      s.replicas.push(r);
      this.spawnReplica(s, r, log);
    }
    const surplus = live.slice(desired).reverse();
    await Promise.all(surplus.map((r) => this.stopReplica(s, r, log)));
    s.replicas = s.replicas.filter((r) => r.wanted);
  }

  private spawnReplica(s: Supervised, r: Replica, log: (line: string) => void): void {
    if (this.closed || !r.wanted) return;
    const [file, ...args] = (s.spec.command ?? []).map((a) => a.replaceAll('{{replica}}', String(r.index)));
    if (!file) throw new Error(`service ${s.spec.name} has no command`);
    const child = spawn(file, args, {
      cwd: s.spec.cwd,
      env: { ...process.env, ...s.spec.env, OPSDESK_SERVICE: s.spec.name, OPSDESK_REPLICA: String(r.index) },
      // stdin is a lifeline: it reaches EOF when this supervisor dies, however it dies (a probe of
      // the parent's pid cannot tell a dead parent that nobody reaped from a live one).
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
      shell: false,
    });
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    // EPIPE once the replica has exited is expected; anything else goes to the service's log.
    child.stdin?.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') log(`replica ${r.index} of ${s.spec.name}: lifeline error: ${err.message}`);
    });
    r.child = child;
    r.state = 'starting';
    r.startedAt = Date.now();
    const startedWall = Date.now();
    log(`replica ${r.index} of ${s.spec.name} started with pid ${child.pid}`);
    r.exited = new Promise((resolve) => {
      const onExit = (code: number | null, signal: NodeJS.Signals | null, error?: Error) => {
        r.child = null;
        r.lastExit = error ? `failed to start: ${error.message}` : signal ? `killed by ${signal}` : `exited with ${code}`;
        resolve();
        if (!r.wanted || this.closed) {
          r.state = 'stopped';
          return;
        }
        // Crashed: restart with exponential backoff (reset after a stable run).
        if (Date.now() - startedWall > STABLE_MS) r.restarts = 0;
        const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** r.restarts);
        r.restarts++;
        r.state = 'backoff';
        r.backoffTimer = setTimeout(() => {
          r.backoffTimer = null;
          this.spawnReplica(s, r, log);
        }, delay);
        r.backoffTimer.unref();
      };
      child.once('exit', (code, signal) => onExit(code, signal));
      child.once('error', (err) => {
        if (child.pid === undefined) onExit(null, null, err);
      });
    });
  }

  private async stopReplica(s: Supervised, r: Replica, log: (line: string) => void): Promise<void> {
    r.wanted = false;
    if (r.backoffTimer) clearTimeout(r.backoffTimer);
    const child = r.child;
    if (!child || child.pid === undefined) {
      r.state = 'stopped';
      return;
    }
    r.state = 'stopping';
    const pid = child.pid;
    const kill = (sig: NodeJS.Signals) => {
      try {
        process.kill(-pid, sig);
      } catch (err) {
        // ESRCH: the group is already gone.
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') log(`replica ${r.index} (pid ${pid}): ${sig} failed: ${(err as Error).message}`);
      }
    };
    kill('SIGTERM');
    const forced = setTimeout(() => {
      log(`replica ${r.index} (pid ${pid}) ignored SIGTERM for ${s.spec.stopTimeoutMs} ms; killing`);
      kill('SIGKILL');
    }, s.spec.stopTimeoutMs);
    await r.exited;
    clearTimeout(forced);
    log(`replica ${r.index} of ${s.spec.name} (pid ${pid}) stopped: ${r.lastExit}`);
  }

  private async waitHealthy(s: Supervised, log: (line: string) => void): Promise<void> {
    const deadline = Date.now() + s.spec.startTimeoutMs;
    const health = s.spec.health;
    for (;;) {
      const st = await this.status(s.spec);
      if (st.health === 'healthy' || (s.desired === 0 && st.replicas.length === 0)) {
        log(`${s.spec.name}: ${st.healthMessage ?? 'healthy'}`);
        return;
      }
      if (Date.now() > deadline) throw new Error(`${s.spec.name} did not become healthy within ${s.spec.startTimeoutMs} ms (${st.healthMessage})`);
      await new Promise((r) => setTimeout(r, health.kind === 'running' ? Math.min(100, health.graceMs || 100) : 250));
    }
  }

  async status(spec: ServiceSpec): Promise<ServiceStatus> {
    const s = this.entry(spec);
    const now = Date.now();
    const graceMs = spec.health.kind === 'running' ? spec.health.graceMs : 0;
    for (const r of s.replicas) if (r.child && r.state === 'starting' && r.startedAt !== null && now - r.startedAt >= graceMs) r.state = 'running';
    const up = s.replicas.filter((r) => r.child && r.state === 'running');
    let health: ServiceStatus['health'];
    let message: string;
    if (s.desired === 0 && s.replicas.length === 0) {
      health = 'stopped';
      message = 'scaled to 0';
    } else if (up.length < s.desired) {
      health = s.replicas.some((r) => r.state === 'backoff' || r.state === 'crashed') ? 'unhealthy' : 'starting';
      message = `${up.length}/${s.desired} replicas running`;
    } else {
      const p = await probe(spec.health);
      health = p.ok ? 'healthy' : 'unhealthy';
      message = `${up.length}/${s.desired} replicas running; ${p.message}`;
    }
    return {
      name: spec.name,
      description: spec.description,
      driver: this.name,
      desiredReplicas: s.desired,
      maxReplicas: spec.maxReplicas,
      dependsOn: spec.dependsOn,
      health,
      healthMessage: message,
      replicas: s.replicas.map((r) => ({ index: r.index, pid: r.child?.pid ?? null, state: r.state, startedAt: r.startedAt, restarts: r.restarts, lastExit: r.lastExit })),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.services.values()].map((s) => this.stop(s.spec)));
  }
}

function nextIndex(s: Supervised): number {
  const used = new Set(s.replicas.filter((r) => r.wanted).map((r) => r.index));
  let i = 0;
  while (used.has(i)) i++;
  return i;
}
