import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../platform/config/config';
import { ADMIN, DATABASES, createUserAndLogin, startTestServer, type TestServer } from '../../test-support/harness';
import { LOOPBACK_WEBHOOKS, startReceiver, type Receiver } from '../../test-support/webhook-receivers';

describe('webhook settings', () => {
  it('refuse a Slack or SMS URL the webhook policy would not reach, without echoing it', () => {
    expect(() => parseConfig({ SLACK_WEBHOOK_URL: 'http://hooks.example.com/services/T/B/secretpath' })).toThrow(/^Invalid configuration: SLACK_WEBHOOK_URL must use https/);
    expect(() => parseConfig({ SMS_WEBHOOK_URL: 'https://169.254.169.254/latest' })).toThrow(/SMS_WEBHOOK_URL .*link-local/);
    expect(() => parseConfig({ SLACK_WEBHOOK_URL: 'http://hooks.example.com/services/T/B/secretpath' })).not.toThrow(/secretpath/);
    expect(() => parseConfig({ WEBHOOK_ALLOW_PRIVATE: '10.0.0.0/40' })).toThrow(/WEBHOOK_ALLOW_PRIVATE/);
    expect(() => parseConfig({ WEBHOOK_CA_FILE: '/nonexistent/ca.pem' })).toThrow(/WEBHOOK_CA_FILE: cannot read/);
    expect(parseConfig({ ...LOOPBACK_WEBHOOKS, SMS_WEBHOOK_URL: 'http://127.0.0.1:9/send' }).SMS_WEBHOOK_URL).toBe('http://127.0.0.1:9/send');
  });
});

describe.each(DATABASES)('outbound webhooks on %s', (kind) => {
  describe('with the default policy', () => {
    let server: TestServer;
    let admin: { accessToken: string };
    let receiver: Receiver;
    beforeAll(async () => {
      receiver = await startReceiver();
      server = await startTestServer(kind, { env: { MONITORING_LOOPS: 'false' } });
      admin = await createUserAndLogin(server, { ...ADMIN, role: 'admin' });
    });
    afterAll(async () => {
      await server.dispose();
      await receiver.close();
    });

    it('refuses to point a channel at a receiver on 127.0.0.1, over http or https', async () => {
      for (const url of [receiver.url, receiver.url.replace('http:', 'https:'), 'https://[::1]/hook', 'https://169.254.169.254/']) {
        const res = await server.api('PATCH', '/api/v1/channels/slack', { token: admin.accessToken, body: { url } });
        expect(res.status, url).toBe(422);
        expect(res.body.message).toMatch(/^Webhook URL (must use https|.* address; allow it with WEBHOOK_ALLOW_PRIVATE)/);
      }
      const audit = await server.api('GET', '/api/v1/audit?action=channel.webhook_url_changed', { token: admin.accessToken });
      expect(audit.body.items).toEqual([]);
    });
  });

  describe('with 127.0.0.1 allow-listed', () => {
    let server: TestServer;
    let admin: { accessToken: string };
    let broken: Receiver;
    let ok: Receiver;
    beforeAll(async () => {
      broken = await startReceiver((_q, r) => r.writeHead(500).end('<html>stack trace SECRET-INTERNAL-DETAIL</html>'));
      ok = await startReceiver();
      server = await startTestServer(kind, { env: { MONITORING_LOOPS: 'false', NOTIFY_TIMEOUT_MS: '2000', ...LOOPBACK_WEBHOOKS } });
      admin = await createUserAndLogin(server, { ...ADMIN, role: 'admin' });
    });
    afterAll(async () => {
      await server.dispose();
      await Promise.all([broken.close(), ok.close()]);
    });

    it('audits a changed webhook URL by its host, never its secret path', async () => {
      const res = await server.api('PATCH', '/api/v1/channels/slack', { token: admin.accessToken, body: { url: `${ok.url}/T000/B000/secret-slack-path` } });
      expect(res.status).toBe(200);
      const audit = await server.api('GET', '/api/v1/audit?action=channel.webhook_url_changed&targetId=slack', { token: admin.accessToken });
      expect(audit.body.items).toHaveLength(1);
      expect(audit.body.items[0].details).toEqual({ from: null, to: `http://127.0.0.1:${ok.port}/…` });
      expect(JSON.stringify(audit.body.items)).not.toContain('secret-slack-path');
    });

    it('reports a failed test send by status and a short reason, never the receiver body', async () => {
      await server.api('PATCH', '/api/v1/channels/slack', { token: admin.accessToken, body: { url: broken.url } });
      const res = await server.api('POST', '/api/v1/channels/test', { token: admin.accessToken });
      expect(res.status).toBe(200);
      const slack = res.body.find((r: { channel: string }) => r.channel === 'slack');
      expect(slack).toEqual({ channel: 'slack', target: 'slack', ok: false, status: 500, error: 'webhook answered 500 Internal Server Error' });
      expect(JSON.stringify(res.body)).not.toContain('SECRET');
      expect(broken.posts).toHaveLength(1);

      await server.api('PATCH', '/api/v1/channels/slack', { token: admin.accessToken, body: { url: ok.url } });
      const good = await server.api('POST', '/api/v1/channels/test', { token: admin.accessToken });
      expect(good.body.find((r: { channel: string }) => r.channel === 'slack')).toMatchObject({ ok: true, status: 200, error: null });
    });
  });
});
