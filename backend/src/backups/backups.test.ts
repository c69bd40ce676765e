import { appendFileSync, truncateSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, createUserAndLogin, startTestServer, type TestServer } from '../../test-support/harness';
import { waitJob } from '../../test-support/wait-job';
import { BackupKeys } from './backup-keys';
import { classify } from './retention';

describe.each(DATABASES)('backups and restore on %s', (kind) => {
  let server: TestServer;
  let admin: { id: string; accessToken: string };
  let admin2: { id: string; accessToken: string };

  beforeAll(async () => {
    server = await startTestServer(kind, { env: { JOB_WORKERS: '0', OPS_SCHEDULERS: 'false' } });
    admin = await createUserAndLogin(server, { email: 'admin@example.com', password: 'correct-horse-battery-1', role: 'admin' });
    admin2 = await createUserAndLogin(server, { email: 'admin2@example.com', password: 'correct-horse-battery-2', role: 'admin' });
  });
  afterAll(() => server.dispose());

  const users = async () => (await server.api('GET', '/api/v1/users', { token: admin.accessToken })).body.map((u: { email: string }) => u.email).sort();

  const search = async (text: string) =>
    (await server.api('GET', `/api/v1/tickets?q=${encodeURIComponent(text)}`, { token: admin.accessToken })).body.items.map((t: { subject: string }) => t.subject);

  it('backup → change data → restore gives back the snapshot; a corrupt backup is refused with the database untouched', { timeout: 90_000 }, async () => {
    const queue = await server.api('POST', '/api/v1/queues', { token: admin.accessToken, body: { name: 'Restore desk', memberIds: [admin.id] } });
    const ticket = (subject: string) =>
      server.api('POST', '/api/v1/tickets', { token: admin.accessToken, body: { queueId: queue.body.id, subject, description: 'printer jammed', requester: { name: 'R', email: 'r@example.com' } } });
    expect((await ticket('Snapshot zebra ticket')).status).toBe(201);
    const snapshot = await users();
    const job = await server.api('POST', '/api/v1/backups', { token: admin.accessToken });
    const b = await waitJob(server, admin.accessToken, job.body.id, undefined, 60_000);
    expect(b.status, JSON.stringify(b)).toBe('succeeded');
    const backup = (await server.api('GET', `/api/v1/backups/${b.result.backupId}`, { token: admin.accessToken })).body;
    expect(backup).toMatchObject({ status: 'ok', verified: true });
    expect(statSync(`${backup.file}.manifest.json`).size).toBeGreaterThan(0);

    await createUserAndLogin(server, { email: 'later@example.com', password: 'correct-horse-battery-3', role: 'agent' });
    expect((await ticket('Later zebra ticket')).status).toBe(201);
    expect(await users()).not.toEqual(snapshot);
    expect((await search('zebra')).sort()).toEqual(['Later zebra ticket', 'Snapshot zebra ticket']);

    const restore = await server.api('POST', `/api/v1/backups/${backup.id}/restore`, { token: admin.accessToken, body: { confirmation: 'restore-database' } });
    expect(restore.status, JSON.stringify(restore.body)).toBe(201);
    expect(restore.body.status).toBe('awaiting_approval');
    expect((await server.api('POST', `/api/v1/jobs/${restore.body.id}/approve`, { token: admin2.accessToken })).status).toBe(200);
    const r = await waitJob(server, admin.accessToken, restore.body.id, undefined, 60_000);
    expect(r.status, JSON.stringify(r)).toBe('succeeded');
    expect(await users()).toEqual(snapshot);
    expect(r.result.safetyBackupId).toBeTruthy();
    // The full-text index comes back with the data it indexes.
    expect(await search('zebra')).toEqual(['Snapshot zebra ticket']);

    // corrupt: append garbage → checksum fails; truncate a copy → refused too
    await createUserAndLogin(server, { email: 'after@example.com', password: 'correct-horse-battery-4', role: 'agent' });
    const before = await users();
    appendFileSync(backup.file, 'garbage');
    const bad = await server.api('POST', '/api/v1/jobs', { token: admin.accessToken, body: { runbook: 'restore-database', params: { backupId: backup.id }, confirmation: 'restore-database' } });
    await server.api('POST', `/api/v1/jobs/${bad.body.id}/approve`, { token: admin2.accessToken });
    const failed = await waitJob(server, admin.accessToken, bad.body.id, undefined, 60_000);
    expect(failed.status).toBe('failed');
    expect(failed.reason).toMatch(/truncated or altered|checksum/);
    truncateSync(backup.file, Math.floor(backup.sizeBytes / 2));
    const bad2 = await server.api('POST', '/api/v1/jobs', { token: admin.accessToken, body: { runbook: 'verify-backup', params: { backupId: backup.id } } });
    expect((await waitJob(server, admin.accessToken, bad2.body.id)).reason).toMatch(/truncated or altered/);
    expect(await users()).toEqual(before);
    expect((await server.api('GET', '/api/v1/maintenance/mode')).body.active).toBe(false);
  });

  it('a restore that fails after the data was replaced rolls back to the safety backup', { timeout: 90_000 }, async () => {
    const { db } = server.services.database;
    // A backup whose schema_migrations names a migration this build no longer has: the migrate step
    // after the restore fails (Kysely refuses a history with a missing migration).
    await db.insertInto('schema_migrations' as never).values({ name: '0015_retired_migration', timestamp: new Date().toISOString() } as never).execute();
    const job = await server.api('POST', '/api/v1/backups', { token: admin.accessToken });
    const b = await waitJob(server, admin.accessToken, job.body.id, undefined, 60_000);
    expect(b.status).toBe('succeeded');
    await db.deleteFrom('schema_migrations' as never).where('name' as never, '=', '0015_retired_migration' as never).execute();
    await createUserAndLogin(server, { email: 'kept@example.com', password: 'correct-horse-battery-5', role: 'agent' });
    const before = await users();
    const restore = await server.api('POST', `/api/v1/backups/${b.result.backupId}/restore`, { token: admin.accessToken, body: { confirmation: 'restore-database' } });
    await server.api('POST', `/api/v1/jobs/${restore.body.id}/approve`, { token: admin2.accessToken });
    const r = await waitJob(server, admin.accessToken, restore.body.id, undefined, 60_000);
    expect(r.status).toBe('failed');
    expect(r.reason).toMatch(/rolled back to safety backup/);
    expect(await users()).toEqual(before);
    const migrations = await db.selectFrom('schema_migrations' as never).select('name' as never).execute();
    expect(JSON.stringify(migrations)).not.toContain('0015_retired_migration');
    expect((await server.api('GET', '/api/v1/maintenance/mode')).body.active).toBe(false);
  });

  it('refuses a backup taken by a newer build before touching anything', async () => {
    const { db } = server.services.database;
    await db.insertInto('schema_migrations' as never).values({ name: '9999_from_the_future', timestamp: new Date().toISOString() } as never).execute();
    const job = await server.api('POST', '/api/v1/backups', { token: admin.accessToken });
    const b = await waitJob(server, admin.accessToken, job.body.id, undefined, 60_000);
    await db.deleteFrom('schema_migrations' as never).where('name' as never, '=', '9999_from_the_future' as never).execute();
    const restore = await server.api('POST', '/api/v1/jobs', { token: admin.accessToken, body: { runbook: 'restore-database', params: { backupId: b.result.backupId }, confirmation: 'restore-database' } });
    await server.api('POST', `/api/v1/jobs/${restore.body.id}/approve`, { token: admin2.accessToken });
    const r = await waitJob(server, admin.accessToken, restore.body.id, undefined, 60_000);
    expect(r.status).toBe('failed');
    expect(r.reason).toMatch(/taken by a newer OpsDesk/);
    const safety = await server.api('GET', '/api/v1/backups?limit=1', { token: admin.accessToken });
    expect(safety.body[0].id).toBe(b.result.backupId); // refused before the safety backup: nothing touched
  });

  it('checks free space first: a backup that would not fit fails with the reason and a failed catalogue row', async () => {
    const { BackupService } = await import('./backup-service');
    const { MaintenanceMode } = await import('../maintenance/maintenance-mode');
    const ctx = server.services;
    const failures: string[] = [];
    const tooBig = new BackupService(ctx.database, ctx.config.DATABASE_URL, path.join(ctx.config.DATA_DIR, 'backups'), ctx.clock, ctx.audit, new MaintenanceMode(ctx.clock), { hourlyHours: 24, dailyDays: 30, weeklyWeeks: 12, monthlyMonths: 12 }, Number.MAX_SAFE_INTEGER, new BackupKeys(ctx.config.JWT_SECRET), {
      backupFinished: () => {},
      backupFailed: (_k, e) => failures.push(e),
      restoreFinished: () => {},
      reportError: (what, err) => failures.push(`${what}: ${(err as Error).message}`),
    });
    await expect(tooBig.create('manual')).rejects.toThrow(/not enough free space/);
    expect(failures[0]).toMatch(/not enough free space/);
    const failed = await tooBig.list(10, 'failed');
    expect(failed[0]!.error).toMatch(/not enough free space/);
  });
});

describe('retention on a synthetic calendar', () => {
  it('keeps hourly 24 h, daily 30 d, weekly 12 w, monthly 12 m; a backup stays while any class keeps it', () => {
    const H = 3_600_000;
    const start = Date.UTC(2025, 0, 1);
    const now = Date.UTC(2026, 0, 1, 12);
    const backups = [];
    for (let t = start; t <= now; t += H) backups.push({ id: String(t), createdAt: t });
    const kept = classify(backups, now, { hourlyHours: 24, dailyDays: 30, weeklyWeeks: 12, monthlyMonths: 12 });
    const keep = backups.filter((b) => kept.get(b.id)!.length);
    const by = (c: string) => keep.filter((b) => kept.get(b.id)!.includes(c as never)).length;
    expect(by('hourly')).toBe(24);
    expect(by('daily')).toBe(30);
    expect(by('weekly')).toBe(12);
    expect(by('monthly')).toBe(12);
    // the newest backup is kept by every class; nothing older than 12 months survives
    expect(kept.get(String(now))).toEqual(['hourly', 'daily', 'weekly', 'monthly']);
    expect(Math.min(...keep.map((b) => b.createdAt))).toBeGreaterThanOrEqual(Date.UTC(2025, 1, 1));
    expect(keep.length).toBeLessThan(24 + 30 + 12 + 12);
  });
});
