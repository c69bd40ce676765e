import { z } from 'zod';
import { isRendererVisible, type RendererVisible, type RouteDef, type RouteInput, type RouteOutput } from '../api/route';
import { ROUTE_LIST, type RouteName, type Routes } from '../api/routes';

/** The request of a derived channel: the route's parts; left out entirely when every part may be. */
export type ApiChannelRequest<R extends RouteDef> = Record<never, never> extends RouteInput<R> ? RouteInput<R> | undefined : RouteInput<R>;

export interface ApiChannel<K extends RouteName> {
  kind: 'online';
  /** The route this channel forwards to. */
  route: K;
  request: z.ZodType<ApiChannelRequest<Routes[K]>, ApiChannelRequest<Routes[K]>>;
  response: z.ZodType<RouteOutput<Routes[K]>>;
}

/** `api.<route>` for every route the renderer may call: one typed call per route, no REST paths in the UI. */
export type ApiChannels = { [K in RouteName as RendererVisible<Routes[K]> extends true ? `api.${K}` : never]: ApiChannel<K> };

/**
 * Checks a part against the route's schema but keeps what the caller sent: the server parses it
 * again, and a transformed value (a comma list turned array) would not survive a second trip.
 */
function validated(schema: z.ZodType, mayBeEmpty: boolean): z.ZodType {
  return z.unknown().superRefine((value, ctx) => {
    const res = schema.safeParse(value === undefined && mayBeEmpty ? {} : value);
    if (!res.success) for (const issue of res.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  });
}

function acceptsEmpty(schema: z.ZodType): boolean {
  return schema.safeParse(undefined).success || schema.safeParse({}).success;
}

function requestSchema(def: RouteDef): z.ZodType {
  const parts = { params: def.params, query: def.query, body: def.body };
  const shape: Record<string, z.ZodType> = {};
  let optional = true;
  for (const [key, schema] of Object.entries(parts)) {
    if (!schema) {
      shape[key] = z.undefined().optional();
      continue;
    }
    const empty = acceptsEmpty(schema);
    if (!empty) optional = false;
    shape[key] = empty ? validated(schema, true).optional() : validated(schema, false);
  }
  const request = z.object(shape).strict();
  return optional ? request.optional() : request;
}

function build(): ApiChannels {
  const out: Record<string, { kind: 'online'; route: string; request: z.ZodType; response: z.ZodType }> = {};
  for (const def of ROUTE_LIST) {
    if (!isRendererVisible(def)) continue;
    out[`api.${def.name}`] = { kind: 'online', route: def.name, request: requestSchema(def), response: def.response ?? z.null() };
  }
  return out as unknown as ApiChannels;
}

export const apiChannels: ApiChannels = build();
