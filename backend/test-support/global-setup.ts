import type { TestProject } from 'vitest/node';
import { startPgCluster, type PgCluster } from './postgres-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

let cluster: PgCluster | undefined;

/** One PostgreSQL cluster per test run; each test file makes its own databases in it. */
export default async function setup(project: TestProject) {
  if (process.env.TEST_PG_URL) {
    project.provide('pgUrl', process.env.TEST_PG_URL);
    return;
  }
  cluster = await startPgCluster();
  project.provide('pgUrl', cluster.url);
  return () => cluster?.stop();
}
