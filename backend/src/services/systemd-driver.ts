import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ServiceSpec, ServiceStatus } from '../../../shared/api/services';
import type { ServiceDriver } from './service-driver';

const run = promisify(execFile);

/** systemctl by argv. One unit is one replica; scaling is not something systemd units do. */
export class SystemdDriver implements ServiceDriver {
  readonly name = 'systemd';

  constructor(private readonly systemctl: string[] = ['systemctl']) {}

  private async ctl(args: string[], log?: (l: string) => void): Promise<string> {
    const [file, ...pre] = this.systemctl;
    log?.(`$ ${[file, ...pre, ...args].join(' ')}`);
    const { stdout } = await run(file!, [...pre, ...args], { timeout: 120_000 });
    return stdout;
  }

  private unit(spec: ServiceSpec): string {
    return spec.unit ?? `${spec.name}.service`;
  }

  async start(spec: ServiceSpec, log?: (l: string) => void): Promise<void> {
    await this.ctl(['start', this.unit(spec)], log);
  }
  async stop(spec: ServiceSpec, log?: (l: string) => void): Promise<void> {
    await this.ctl(['stop', this.unit(spec)], log);
  }
  async restart(spec: ServiceSpec, log?: (l: string) => void): Promise<void> {
    await this.ctl(['restart', this.unit(spec)], log);
  }
  async scale(spec: ServiceSpec, replicas: number, log?: (l: string) => void): Promise<void> {
    if (replicas > 1) throw new Error(`the systemd driver runs one instance of ${this.unit(spec)}; use 0 or 1`);
    await (replicas === 0 ? this.stop(spec, log) : this.start(spec, log));
  }
  async status(spec: ServiceSpec): Promise<ServiceStatus> {
    let active: string;
    let pid: number | null = null;
    try {
      const out = await this.ctl(['show', this.unit(spec), '--property=ActiveState,MainPID']);
      active = /ActiveState=(\w+)/.exec(out)?.[1] ?? 'unknown';
      pid = Number(/MainPID=(\d+)/.exec(out)?.[1] ?? 0) || null;
    } catch (e) {
      active = `error: ${(e as Error).message}`;
    }
    return {
      name: spec.name,
      description: spec.description,
      driver: this.name,
      desiredReplicas: spec.replicas,
      maxReplicas: Math.min(1, spec.maxReplicas),
      dependsOn: spec.dependsOn,
      health: active === 'active' ? 'healthy' : active === 'inactive' ? 'stopped' : active === 'activating' ? 'starting' : 'unhealthy',
      healthMessage: `${this.unit(spec)} is ${active}`,
      replicas: active === 'active' ? [{ index: 0, pid, state: 'running', startedAt: null, restarts: 0, lastExit: null }] : [],
    };
  }
  async close(): Promise<void> {}
}
