import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN, createUserAndLogin, startTestServer, tempDir } from '../../test-support/harness';

describe('security settings changed between starts', () => {
  const dataDir = tempDir();
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('are audited once per change (docs exposure, webhook allow-lists and URLs), never with a URL secret', async () => {
    const starts: Record<string, string>[] = [
      {},
      { API_DOCS: 'signed-in', WEBHOOK_ALLOW_PRIVATE: '10.0.0.0/8', SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/very-secret' },
      { API_DOCS: 'signed-in', WEBHOOK_ALLOW_PRIVATE: '10.0.0.0/8', SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/very-secret' },
      { API_DOCS: 'off', WEBHOOK_ALLOW_PRIVATE: '10.0.0.0/8', SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/rotated-secret' },
    ];
    for (const env of starts) await (await startTestServer('sqlite', { env: { DATA_DIR: dataDir, MONITORING_LOOPS: 'false', ...env } })).stop();
    const s = await startTestServer('sqlite', { env: { DATA_DIR: dataDir, MONITORING_LOOPS: 'false', ...starts[3] } });
    const admin = await createUserAndLogin(s, { ...ADMIN, role: 'admin' });
    const res = await s.api('GET', '/api/v1/audit?action=config.changed', { token: admin.accessToken });
    const changes = (res.body.items as { targetId: string; details: { from: unknown; to: unknown } }[]).reverse().map((e) => [e.targetId, e.details.from, e.details.to]);
    const slack = expect.stringMatching(/^https:\/\/hooks\.slack\.com\/… \([0-9a-f]{8}\)$/);
    expect(changes).toEqual([
      ['API_DOCS', 'public', 'signed-in'],
      ['WEBHOOK_ALLOW_PRIVATE', null, '10.0.0.0/8'],
      ['SLACK_WEBHOOK_URL', null, slack],
      ['API_DOCS', 'signed-in', 'off'],
      ['SLACK_WEBHOOK_URL', slack, slack],
    ]);
    expect(changes[4]![1]).toBe(changes[2]![2]);
    expect(changes[4]![2]).not.toBe(changes[4]![1]);
    expect(JSON.stringify(res.body)).not.toMatch(/secret/);
    await s.stop();
  });
});
