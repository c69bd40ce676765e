import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCert, startReceiver, type Receiver } from '../../../test-support/webhook-receivers';
import { blockedRange, checkWebhookUrl, parseWebhookPolicy, type WebhookPolicy } from './address-policy';
import { postWebhook, WebhookError } from './webhook-post';

const DEFAULT = parseWebhookPolicy({});
const failure = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WebhookError);
  return err as WebhookError;
};

describe('which addresses a webhook may reach', () => {
  it('names the private, loopback, link-local and metadata ranges, in IPv4 and IPv6', () => {
    for (const ip of ['127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '::1', '::', 'fd00::1', 'fd00:ec2::254', 'fc00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:169.254.169.254', '64:ff9b::a9fe:a9fe', '224.0.0.1']) {
      expect(blockedRange(ip, DEFAULT), ip).not.toBeNull();
    }
    for (const ip of ['93.184.216.34', '172.32.0.1', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8']) expect(blockedRange(ip, DEFAULT), ip).toBeNull();
  });

  it('lets an allow-list open a private range, and only that range', () => {
    const policy = parseWebhookPolicy({ WEBHOOK_ALLOW_PRIVATE: '10.20.0.0/16,::1' });
    expect(blockedRange('10.20.3.4', policy)).toBeNull();
    expect(blockedRange('::1', policy)).toBeNull();
    expect(blockedRange('10.21.0.1', policy)).not.toBeNull();
    expect(blockedRange('127.0.0.1', policy)).not.toBeNull();
  });

  it('refuses plain http, credentials in the URL and private literal addresses when the URL is saved', () => {
    expect(checkWebhookUrl('https://hooks.slack.com/services/T/B/x', DEFAULT)).toBeNull();
    expect(checkWebhookUrl('http://hooks.slack.com/services/T/B/x', DEFAULT)).toMatch(/https/);
    expect(checkWebhookUrl('https://user:pw@example.com/', DEFAULT)).toMatch(/user name or password/);
    expect(checkWebhookUrl('https://169.254.169.254/latest/meta-data', DEFAULT)).toMatch(/link-local/);
    expect(checkWebhookUrl('https://[fd00:ec2::254]/', DEFAULT)).toMatch(/unique local/);
    expect(checkWebhookUrl('ftp://example.com/', DEFAULT)).toMatch(/https/);
    const http = parseWebhookPolicy({ WEBHOOK_ALLOW_HTTP: 'sms.internal' });
    expect(checkWebhookUrl('http://sms.internal:8080/send', http)).toBeNull();
    expect(checkWebhookUrl('http://other.internal/send', http)).toMatch(/https/);
  });

  it('rejects a malformed allow-list with the setting named', () => {
    expect(() => parseWebhookPolicy({ WEBHOOK_ALLOW_PRIVATE: '10.0.0.0/99' })).toThrow(/WEBHOOK_ALLOW_PRIVATE/);
    expect(() => parseWebhookPolicy({ WEBHOOK_ALLOW_PRIVATE: 'intranet' })).toThrow(/WEBHOOK_ALLOW_PRIVATE/);
    expect(() => parseWebhookPolicy({ WEBHOOK_ALLOW_HTTP: 'bad host!' })).toThrow(/WEBHOOK_ALLOW_HTTP/);
  });
});

describe('posting to a webhook', () => {
  const tls = selfSignedCert();
  let ok: Receiver;
  let secure: Receiver;
  let broken: Receiver;
  let redirect: Receiver;
  let hang: Receiver;
  let loopback: WebhookPolicy;

  beforeAll(async () => {
    ok = await startReceiver();
    secure = await startReceiver(undefined, tls);
    broken = await startReceiver((_q, r) => r.writeHead(500, 'Database password is hunter2').end('stack trace: SECRET-INTERNAL-DETAIL'));
    redirect = await startReceiver((_q, r) => r.writeHead(302, { location: ok.url }).end());
    hang = await startReceiver(() => undefined);
    loopback = parseWebhookPolicy({ WEBHOOK_ALLOW_HTTP: '127.0.0.1,localhost', WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32', ca: tls.cert });
  });
  afterAll(async () => {
    await Promise.all([ok, secure, broken, redirect, hang].map((r) => r.close()));
    tls.dispose();
  });

  it('by default refuses a receiver on 127.0.0.1, over http or https, before sending anything', async () => {
    expect((await failure(postWebhook(ok.url, { text: 'hi' }, { policy: DEFAULT, timeoutMs: 2000 }))).message).toMatch(/https/);
    const err = await failure(postWebhook(secure.url, { text: 'hi' }, { policy: parseWebhookPolicy({ ca: tls.cert }), timeoutMs: 2000 }));
    expect(err.message).toMatch(/127\.0\.0\.1.*loopback/);
    expect(ok.posts).toEqual([]);
    expect(secure.posts).toEqual([]);
  });

  it('checks the address a host name resolves to when it connects, not the name', async () => {
    const name = secure.url.replace('127.0.0.1', 'localhost');
    const policy = parseWebhookPolicy({ ca: tls.cert });
    expect(checkWebhookUrl(name, policy)).toBeNull();
    const err = await failure(postWebhook(name, { text: 'hi' }, { policy, timeoutMs: 2000 }));
    expect(err.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1).*not allow-listed/);
    expect(secure.posts).toEqual([]);
  });

  it('posts JSON over https to an allow-listed receiver', async () => {
    await expect(postWebhook(secure.url, { text: 'hello' }, { policy: loopback, timeoutMs: 2000 })).resolves.toEqual({ status: 200 });
    expect(secure.posts).toEqual([{ text: 'hello' }]);
  });

  it('reports a failure by status and a short reason, never the remote body or reason phrase', async () => {
    const err = await failure(postWebhook(broken.url, { text: 'x' }, { policy: loopback, timeoutMs: 2000 }));
    expect(err.status).toBe(500);
    expect(err.message).toBe('webhook answered 500 Internal Server Error');
    expect(err.message).not.toMatch(/SECRET|hunter2/);
  });

  it('does not follow redirects', async () => {
    const before = ok.posts.length;
    const err = await failure(postWebhook(redirect.url, { text: 'x' }, { policy: loopback, timeoutMs: 2000 }));
    expect(err).toMatchObject({ status: 302, message: 'redirect not followed (302 Found)' });
    expect(ok.posts.length).toBe(before);
  });

  it('gives up on a receiver that never answers within the timeout', async () => {
    const started = Date.now();
    const err = await failure(postWebhook(hang.url, { text: 'x' }, { policy: loopback, timeoutMs: 300 }));
    expect(err).toMatchObject({ status: null, message: 'timed out after 300 ms' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('names a refused connection and an untrusted certificate without their stack', async () => {
    const closed = await startReceiver();
    await closed.close();
    expect((await failure(postWebhook(closed.url, {}, { policy: loopback, timeoutMs: 2000 }))).message).toBe('connection refused');
    const untrusted = parseWebhookPolicy({ WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32' });
    expect((await failure(postWebhook(secure.url, {}, { policy: untrusted, timeoutMs: 2000 }))).message).toMatch(/^TLS: certificate not trusted/);
  });
});
