import type { TestProject } from 'vitest/node';
import { buildBackend } from '../../scripts/build-backend';
import { startPgCluster, type PgCluster } from './postgres-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

let cluster: PgCluster | undefined;

/**
 * Once per test run: the compiled backend (out/backend, what the desktop core's embedded backend
 * runs) is built from the current sources, and one PostgreSQL cluster is started; each test file
 * makes its own databases in it.
 */
export default async function setup(project: TestProject) {
  await buildBackend();
  if (process.env.TEST_PG_URL) {
    project.provide('pgUrl', process.env.TEST_PG_URL);
    return;
  }
  cluster = await startPgCluster();
  project.provide('pgUrl', cluster.url);
  return () => cluster?.stop();
}
