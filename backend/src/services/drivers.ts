import type { ServiceSpec } from '../../../shared/api/services';
import type { Config } from '../platform/config/config';
import type { DesiredStore } from './desired-store';
import { DockerDriver } from './docker/docker-driver';
import { KubernetesDriver, loadKubeConfig } from './kubernetes/k8s-driver';
import { ProcessDriver } from './process-driver';
import type { ServiceDriver } from './service-driver';
import { SystemdDriver } from './systemd-driver';

/** Every driver the declared services name; the kubeconfig is read only when a service runs on Kubernetes. */
export function serviceDrivers(config: Pick<Config, 'DOCKER_SOCKET' | 'KUBECONFIG_FILE'>, specs: ServiceSpec[], desired: DesiredStore): Record<string, ServiceDriver> {
  const drivers: Record<string, ServiceDriver> = { process: new ProcessDriver(), systemd: new SystemdDriver(), docker: new DockerDriver(config.DOCKER_SOCKET, desired) };
  if (specs.some((s) => s.driver === 'kubernetes')) drivers.kubernetes = new KubernetesDriver(loadKubeConfig(config.KUBECONFIG_FILE));
  return drivers;
}
