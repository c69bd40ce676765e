import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { RouteDef, RouteTable } from '../../../../shared/api/route';
import type { Guard } from './guards';

type Parsed<R, K extends 'params' | 'query' | 'body'> = R extends { [P in K]: infer S extends z.ZodType } ? z.output<S> : unknown;
type Answer<R> = R extends { response: infer S extends z.ZodType } ? z.input<S> : unknown;

/** The request a route's handler gets: params, query and body already validated by the declaration. */
export type RouteRequest<R extends RouteDef> = FastifyRequest<{ Params: Parsed<R, 'params'>; Querystring: Parsed<R, 'query'>; Body: Parsed<R, 'body'> }>;

/**
 * A handler's answer already serialized: the JSON text of the declared response, sent as it is
 * (for hot reads whose rows the database turned into JSON; see TicketQuery.listJson).
 */
export class JsonText<T> {
  declare private readonly answers?: T;
  constructor(readonly text: string) {}
}

type Answered<R> = Answer<R> | JsonText<Answer<R>> | FastifyReply | void;
export type RouteHandler<R extends RouteDef> = (req: RouteRequest<R>, reply: FastifyReply) => Answered<R> | Promise<Answered<R>>;

export interface RouteOptions {
  /** `onRequest`: authenticate before the body is read (webhook receivers: an unknown token is a 401 whatever it sends). */
  authHook?: 'onRequest' | 'preHandler';
  /** Fastify options of this route only (rate-limit config, body limit, serializer). */
  fastify?: Omit<RouteShorthandOptions, 'schema' | 'preHandler' | 'onRequest'>;
}

/**
 * For hot read paths that answer what our own mappers built: skip re-validating every outgoing
 * record (a fifth of a list request's time); the schema still documents the response.
 */
export const plainJson = () => (data: unknown) => JSON.stringify(data);

export type RouteImpl<R extends RouteDef> = RouteHandler<R> | { handler: RouteHandler<R>; options: RouteOptions };

/** One handler per declared route: the compiler rejects a missing or extra one. */
export type RouteHandlers<T extends RouteTable> = { [K in keyof T]: RouteImpl<T[K]> };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The name of the route's declaration in shared/api/routes. */
    routeName?: string;
  }
}

/** A declared route's handler as registered, for callers that run it without a request of its own (the outbox's batch). */
export interface RegisteredHandler {
  def: RouteDef;
  handler: (req: FastifyRequest, reply: FastifyReply) => unknown;
}
/** By the app's HTTP server: every plugin context of one app shares it. */
const handlers = new WeakMap<object, Map<string, RegisteredHandler>>();

export function registeredHandler(app: FastifyInstance, name: string): RegisteredHandler | undefined {
  return handlers.get(app.server)?.get(name);
}

/**
 * Registers a domain's declared routes: method, path, schemas, OpenAPI tag and the role check
 * come from the declaration; the success status is set before the handler runs (a 204 route
 * that returns nothing answers an empty body).
 */
export function routePlugin<T extends RouteTable>(table: T, guard: Guard, impls: RouteHandlers<T>): FastifyPluginAsyncZod {
  return async (app) => {
    let registered = handlers.get(app.server);
    if (!registered) handlers.set(app.server, (registered = new Map()));
    for (const [name, def] of Object.entries(table) as [string, RouteDef & { tag?: string }][]) {
      const impl = impls[name] as RouteImpl<RouteDef>;
      const handler = typeof impl === 'function' ? impl : impl.handler;
      registered.set(name, { def, handler: handler as RegisteredHandler['handler'] });
      const options: RouteOptions = typeof impl === 'function' ? {} : impl.options;
      const check = def.access === 'public' ? undefined : guard({ role: def.access.role === 'any' ? undefined : def.access.role, scope: def.access.scope });
      const status = def.status ?? 200;
      app.route({
        ...options.fastify,
        method: def.method,
        url: def.path,
        config: { ...options.fastify?.config, routeName: name },
        ...(check ? { [options.authHook ?? 'preHandler']: check } : {}),
        schema: {
          ...(def.tag ? { tags: [def.tag] } : {}),
          ...(def.summary ? { summary: def.summary } : {}),
          ...(def.hidden ? { hide: true } : {}),
          ...(def.params ? { params: def.params } : {}),
          ...(def.query ? { querystring: def.query } : {}),
          ...(def.body ? { body: def.body } : {}),
          ...(def.response ? { response: { [status]: def.response } } : {}),
        },
        handler: async (req: FastifyRequest, reply: FastifyReply) => {
          reply.code(status);
          const out = await (handler as (r: FastifyRequest, p: FastifyReply) => unknown)(req, reply);
          if (out === undefined && !reply.sent) return reply.send();
          if (out instanceof JsonText) return reply.type('application/json; charset=utf-8').send(out.text);
          return out;
        },
      });
    }
  };
}

/** A route of the running app as Fastify registered it (for the declaration-coverage test). */
export interface RegisteredRoute {
  method: string;
  url: string;
  routeName: string | undefined;
}
