import http from 'node:http';
import { verify } from '@node-rs/argon2';
import pLimit from 'p-limit';

/**
 * The reference for bench/auth: plain node:http in its own process answering the same JSON the
 * backend does (login verifies the same argon2id hash), with no framework, validation or database.
 * HASH_CONCURRENCY=N runs at most N verifications at once, as OpsDesk does (default: the library's
 * own, one per libuv thread).
 */
const [port, passwordHash, userJson] = [Number(process.env.PORT), process.env.HASH!, process.env.USER_JSON!];
const limit = pLimit(Number(process.env.HASH_CONCURRENCY) || Infinity);
const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/api/v1/me') {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(userJson);
    return;
  }
  if (req.method === 'POST' && req.url === '/api/v1/auth/login') {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const { password } = JSON.parse(body) as { password: string };
      const ok = await limit(() => verify(passwordHash, password));
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json; charset=utf-8' });
      res.end(ok ? JSON.stringify({ accessToken: 'x'.repeat(300), refreshToken: 'y'.repeat(80), user: JSON.parse(userJson) }) : '{}');
    });
    return;
  }
  res.writeHead(404).end();
});
server.listen(port, '127.0.0.1', () => console.log('bare server listening'));
