import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db/schema';

/** The replica count OpsDesk last set for a service, where the platform cannot tell (see migration 0100). */
export interface DesiredStore {
  get(service: string): Promise<number | undefined>;
  set(service: string, driver: string, desired: number): Promise<void>;
}

/** Kept in the database: every backend instance and every restart reads the same. */
export class DbDesiredStore implements DesiredStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async get(service: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('service_state').select('desired_replicas').where('service', '=', service).executeTakeFirst();
    return row?.desired_replicas;
  }

  async set(service: string, driver: string, desired: number): Promise<void> {
    const updated_at = this.clock.now();
    await this.db
      .insertInto('service_state')
      .values({ service, driver, desired_replicas: desired, updated_at })
      .onConflict((oc) => oc.column('service').doUpdateSet({ driver, desired_replicas: desired, updated_at }))
      .execute();
  }
}

/** For a driver used on its own (tests, scripts): forgotten when the process ends. */
export class MemoryDesiredStore implements DesiredStore {
  private readonly values = new Map<string, number>();
  async get(service: string): Promise<number | undefined> {
    return this.values.get(service);
  }
  async set(service: string, _driver: string, desired: number): Promise<void> {
    this.values.set(service, desired);
  }
}
