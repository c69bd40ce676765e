import type { z } from 'zod';
import type { Role } from '../domain/roles';
import type { ApiTokenScope } from './users';

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route. `public`: no sign-in. Otherwise a signed-in user with at least `role`
 * (`any` = every role); API tokens are refused unless `scope` names the scope they carry.
 */
export type RouteAccess = 'public' | { role: Role | 'any'; scope?: ApiTokenScope };

/**
 * One HTTP route of the API under /api/v1, declared once. The backend registers its handler from
 * it (validation, role check, OpenAPI); the desktop core derives an online IPC channel from it.
 */
export interface RouteDef {
  method: RouteMethod;
  /** Under /api/v1, in Fastify's syntax: `/tickets/:id`. */
  path: string;
  summary?: string;
  access: RouteAccess;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success status: 200 (default), 201 created, 204 no content. */
  status?: 200 | 201 | 204;
  /** The JSON answer; absent for 204 and for non-JSON answers (see `produces`). */
  response?: z.ZodType;
  /** A non-JSON answer (a download, CSV): no desktop channel is derived. */
  produces?: 'text' | 'file';
  /**
   * Who calls it besides the renderer: `core`, only the desktop core's session (tokens never reach
   * the renderer); `external`, other systems (Alertmanager, Grafana, cron pings). Neither gets a
   * renderer channel.
   */
  client?: 'core' | 'external';
  /** Not listed in the OpenAPI document. */
  hidden?: boolean;
}

export type RouteTable = Record<string, RouteDef>;

/**
 * Declares a domain's routes; `tag` groups them in the OpenAPI document. `const` keeps each
 * route's literal types so both sides can derive exact request and response types.
 */
export function defineRoutes<const T extends RouteTable>(tag: string, routes: T): { [K in keyof T]: T[K] & { tag: string } } {
  const out: Record<string, RouteDef & { tag: string }> = {};
  for (const [name, def] of Object.entries(routes)) out[name] = { ...def, tag };
  return out as { [K in keyof T]: T[K] & { tag: string } };
}

type Part<R, K extends 'params' | 'query' | 'body'> = R extends { [P in K]: infer S extends z.ZodType }
  ? Record<never, never> extends z.input<S>
    ? { [P in K]?: z.input<S> }
    : undefined extends z.input<S>
      ? { [P in K]?: z.input<S> }
      : { [P in K]: z.input<S> }
  : { [P in K]?: never };

/** What a caller sends for route R: only the parts the route declares (a part that may be empty may be left out). */
export type RouteInput<R extends RouteDef> = Part<R, 'params'> & Part<R, 'query'> & Part<R, 'body'>;

/** What route R answers (null when it declares no JSON answer). */
export type RouteOutput<R extends RouteDef> = R extends { response: infer S extends z.ZodType } ? z.output<S> : null;

/** Whether the desktop derives a renderer channel for R: JSON routes not reserved for the core's session. */
export type RendererVisible<R extends RouteDef> = R extends { client: string } ? false : R extends { produces: string } ? false : true;

export function isRendererVisible(def: RouteDef): boolean {
  return def.client === undefined && def.produces === undefined;
}

/** `/tickets/:id` + {id: 'a b'} → `/tickets/a%20b`; a missing parameter is an error, not "undefined". */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_m, key: string) => {
    const value = params?.[key];
    if (value === undefined || value === null || value === '') throw new Error(`path parameter ${key} is missing for ${path}`);
    return encodeURIComponent(String(value));
  });
}

/** Query values as they go on the wire: arrays repeat the key (`label=a&label=b`), undefined is left out. */
export function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, String(v));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}
