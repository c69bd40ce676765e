import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/** A request this slow is logged at info like a failed one. */
export const SLOW_REQUEST_MS = 1000;

/**
 * Fastify's per-request lines, quieter: "request completed" at info only for a request that failed
 * (5xx; errors keep Fastify's own error line) or took ≥ SLOW_REQUEST_MS, every request at debug.
 * Two log writes per request left the hot paths; Prometheus still counts and times every request.
 */
export class RequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) return super.requestCompleted(error, request, reply);
    const fields = { res: reply, responseTime: reply.elapsedTime };
    if (reply.statusCode >= 500 || reply.elapsedTime >= SLOW_REQUEST_MS) reply.log.info(fields, 'request completed');
    else reply.log.debug(fields, 'request completed');
  }
}
