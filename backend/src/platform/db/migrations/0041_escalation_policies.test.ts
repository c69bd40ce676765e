import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, createPgDatabase, tempDir } from '../../../../test-support/harness';
import { openDatabase, type DatabaseHandle } from '../connect';
import { migrateToLatest } from '../migrate';
import { allMigrations } from './index';

describe.each(DATABASES)('migration 0041 (escalation policies to people) on %s', (kind) => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('keeps the stored default policy as the default and gives open alerts round 0, no owner; a page is recorded once', async () => {
    handle = openDatabase(kind === 'sqlite' ? `sqlite:${tempDir()}/m.db` : await createPgDatabase());
    const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => allMigrations({ dialect: handle!.dialect }) }, migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
    expect((await migrator.migrateTo('0040_oncall')).error).toBeUndefined();
    const db = handle.db as any;
    const levels = JSON.stringify([{ name: 'On-call engineer', afterMinutes: 0, roles: ['oncall'], userIds: [] }]);
    await db.insertInto('escalation_policies').values({ id: 'default', levels, updated_at: 5 }).execute();
    await db
      .insertInto('alerts')
      .values({ id: 'a1', fingerprint: 'f', source: 'generic', rule_id: null, name: 'x', severity: 'high', status: 'firing', summary: 'x', description: null, labels: '{}', annotations: '{}', value: null, count: 1, starts_at: 1, last_seen_at: 1, acked_at: null, acked_by: null, resolved_at: null, resolved_by: null, resolve_reason: null, silenced: 0, silence_id: null, generator_url: null, escalation_level: 0, next_escalation_at: 100, incident_id: null, created_at: 1, updated_at: 1 })
      .execute();

    expect(await migrateToLatest(handle)).toContain('0041_escalation_policies');
    const policy = await handle.db.selectFrom('escalation_policies').selectAll().executeTakeFirstOrThrow();
    expect({ ...policy, position: Number(policy.position), repeat: Number(policy.repeat), updated_at: Number(policy.updated_at) }).toEqual({ id: 'default', levels, updated_at: 5, name: 'Default', match: '{}', position: 0, repeat: 0, ack_timeout_minutes: null });
    const alert = await handle.db.selectFrom('alerts').select(['policy_id', 'escalation_round', 'owner_id', 'owner_name', 'owned_at', 'ack_expires_at']).executeTakeFirstOrThrow();
    expect({ ...alert, escalation_round: Number(alert.escalation_round) }).toEqual({ policy_id: null, escalation_round: 0, owner_id: null, owner_name: null, owned_at: null, ack_expires_at: null });
    await handle.db.insertInto('alert_pages').values({ alert_id: 'a1', page_key: '0.0', user_id: 'u1', at: 1 }).execute();
    await expect(handle.db.insertInto('alert_pages').values({ alert_id: 'a1', page_key: '0.0', user_id: 'u1', at: 2 }).execute()).rejects.toThrow();
  });
});
