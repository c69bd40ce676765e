import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test-support/harness';
import { startMonitoringServer, type MonitoringTestEnv, monitoringOf } from '../../test-support/monitoring';
import { startSmtp } from '../../test-support/smtp-capture';
import { LOOPBACK_WEBHOOKS, startReceiver, type Receiver } from '../../test-support/webhook-receivers';

const codeIn = (text: string) => /code(?: is|:) (\d{6})/.exec(text)?.[1];

describe.each(DATABASES)('contact methods and the channels admin on %s', (kind) => {
  let env: MonitoringTestEnv;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let gateway: Receiver;
  let slack: Receiver;
  const api = (method: string, path: string, token: string, body?: unknown) => env.server.api(method, `/api/v1${path}`, { token, body });
  const me = () => env.oncall.accessToken;

  beforeAll(async () => {
    [smtp, gateway, slack] = await Promise.all([startSmtp(), startReceiver(), startReceiver()]);
    env = await startMonitoringServer(kind, { ...LOOPBACK_WEBHOOKS, SMTP_URL: smtp.url, NOTIFY_TIMEOUT_MS: '2000' });
  });
  afterAll(async () => {
    await env?.server.dispose();
    await Promise.all([smtp?.close(), gateway?.close(), slack?.close()]);
  });

  it('stores webhook URLs sealed, never answers them in clear, and test-sends one channel to its real receiver', async () => {
    const set = await api('PATCH', '/channels/sms', env.admin.accessToken, { url: gateway.url });
    expect(set.status).toBe(200);
    expect(set.body.url).toBe(`http://127.0.0.1:${gateway.port}/…`);
    expect(set.body.configured).toBe(true);
    await api('PATCH', '/channels/slack', env.admin.accessToken, { url: slack.url });
    const stored = await env.server.services.database.db.selectFrom('notification_channels').select(['id', 'url']).where('id', 'in', ['sms', 'slack']).execute();
    for (const r of stored) {
      expect(r.url).toMatch(/^v1:/);
      expect(r.url).not.toContain('127.0.0.1');
    }
    const listed = JSON.stringify((await api('GET', '/channels', me())).body);
    expect(listed).not.toContain('/hook');

    const test = await api('POST', '/channels/slack/test', env.admin.accessToken);
    expect(test.status).toBe(200);
    expect(test.body).toEqual([{ channel: 'slack', target: 'slack', ok: true, status: 200, error: null }]);
    expect(slack.posts.at(-1).text).toContain('[TEST] OpsDesk test alert');
    expect((await api('POST', '/channels/slack/test', me())).status).toBe(403);
    expect((await api('POST', '/channels/nope/test', env.admin.accessToken)).status).toBe(404);
    // An SMS test with nobody's number verified says so instead of pretending.
    expect((await api('POST', '/channels/sms/test', env.admin.accessToken)).body).toEqual([expect.objectContaining({ channel: 'sms', ok: false, error: expect.stringMatching(/no verified phone/) })]);
  });

  it('reports the SMTP server it uses without its credentials, and whether it answers', async () => {
    const status = await api('GET', '/channels/smtp', env.admin.accessToken);
    expect(status.body).toMatchObject({ configured: true, ok: true, error: null, server: expect.stringMatching(/^smtp:\/\/127\.0\.0\.1:\d+$/) });
  });

  it('sends a code to a new email address over SMTP; the method is paged only once verified', async () => {
    const added = await api('POST', '/me/contact-methods', me(), { kind: 'email', address: 'Pager@Example.net' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ kind: 'email', address: 'pager@example.net', verified: false });
    const mail = smtp.mails.find((m) => m.to.includes('pager@example.net'))!;
    const code = codeIn(mail.data)!;
    expect(code).toMatch(/^\d{6}$/);

    smtp.mails.length = 0;
    const fire = async (name: string) => {
      const res = await api('POST', '/alerts', me(), { name, severity: 'critical', labels: { host: 'db-1' } });
      await monitoringOf(env.server).idle();
      return res.body.id as string;
    };
    await fire('Disk full before verification');
    expect(smtp.mails.flatMap((m) => m.to)).not.toContain('pager@example.net');

    const wrong = await api('POST', `/me/contact-methods/${added.body.id}/verify`, me(), { code: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(422);
    const ok = await api('POST', `/me/contact-methods/${added.body.id}/verify`, me(), { code });
    expect(ok.body).toMatchObject({ verified: true });
    await monitoringOf(env.server).idle();
    smtp.mails.length = 0;
    await fire('Disk full after verification');
    expect(smtp.mails.flatMap((m) => m.to).sort()).toEqual(expect.arrayContaining(['oncall@example.com', 'pager@example.net']));

    const listed = await api('GET', '/me/contact-methods', me());
    expect(listed.body.map((m: any) => `${m.kind}:${m.address}:${m.verified}:${m.account}`)).toEqual(['email:oncall@example.com:true:true', 'email:pager@example.net:true:false']);
    expect((await api('GET', `/users/${env.oncall.id}/contact-methods`, env.admin.accessToken)).body).toHaveLength(2);
    expect((await api('GET', `/users/${env.oncall.id}/contact-methods`, me())).status).toBe(403);
    expect((await api('POST', '/me/contact-methods', me(), { kind: 'email', address: 'pager@example.net' })).status).toBe(409);
    expect((await api('POST', '/me/contact-methods', me(), { kind: 'phone', address: '555-0123' })).status).toBe(400);
  });

  it('counts wrong guesses atomically: 12 parallel guesses spend at most 5 tries, then the code is locked', async () => {
    await api('PATCH', '/channels/sms', env.admin.accessToken, { url: gateway.url });
    const added = await api('POST', '/me/contact-methods', me(), { kind: 'phone', address: '+44 20 7946 0958' });
    expect(added.status).toBe(201);
    const sent = gateway.posts.at(-1);
    expect(sent).toMatchObject({ to: '+442079460958' });
    const code = codeIn(sent.message)!;
    const bad = code === '999999' ? '888888' : '999999';
    const answers = await Promise.all(Array.from({ length: 12 }, () => api('POST', `/me/contact-methods/${added.body.id}/verify`, me(), { code: bad })));
    expect(answers.filter((a) => a.status === 422)).toHaveLength(5);
    expect(answers.filter((a) => a.status === 423)).toHaveLength(7);
    expect((await api('POST', `/me/contact-methods/${added.body.id}/verify`, me(), { code })).status).toBe(423);
    // Another user's method is not found, and removing one's own works.
    expect((await api('POST', `/me/contact-methods/${added.body.id}/verify`, env.admin.accessToken, { code })).status).toBe(404);
    expect((await api('DELETE', `/me/contact-methods/${added.body.id}`, me())).status).toBe(204);
  });
});
