import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { RequestLog } from './request-log';

async function linesFor(level: 'info' | 'debug') {
  const lines: { msg: string; level: number; res?: { statusCode: number } }[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  const app = Fastify({ loggerInstance: pino({ level }, sink) as FastifyBaseLogger, logController: new RequestLog() });
  app.get('/ok', async () => ({ ok: true }));
  app.get('/broken', async (_req, reply) => reply.code(503).send({ error: 'down' }));
  app.get('/throws', async () => {
    throw new Error('boom');
  });
  await app.inject('/ok');
  await app.inject('/broken');
  await app.inject('/throws');
  await app.close();
  return lines.filter((l) => /request|boom/.test(l.msg)).map((l) => `${l.level} ${l.msg} ${l.res?.statusCode ?? ''}`.trim());
}

describe('request log', () => {
  it('writes a line at info only for a failed request (5xx), every request at debug', async () => {
    const info = await linesFor('info');
    expect(info).toContain('30 request completed 503');
    expect(info.some((l) => l.includes('boom') || l.includes('500'))).toBe(true);
    expect(info.filter((l) => l.endsWith(' 200') || l.includes('incoming'))).toEqual([]);
    const debug = await linesFor('debug');
    expect(debug).toContain('20 request completed 200');
    expect(debug.filter((l) => l.includes('incoming request'))).toHaveLength(3);
  });
});
