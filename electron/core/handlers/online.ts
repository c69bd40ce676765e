import type { RouteDef, RouteInput, RouteOutput } from '../../../shared/api/route';
import { ROUTES, type RouteName, type Routes } from '../../../shared/api/routes';
import { forwardRoute } from '../api/route-forwarder';
import type { CoreContext } from './context';

/**
 * Calls a declared route with the signed-in session, as the derived `api.*` channels do: the
 * request is typed by the route's schemas and the answer is checked against its response.
 * The typed signature is an overload over an untyped body, and callers name the route as the type
 * argument (`route<'jobs.logs.list'>(core, 'jobs.logs.list', …)`): inferring it, or a generic body,
 * made TypeScript build the union of every route's input and give up (TS2590) as the table grew.
 */
export function route<K extends RouteName>(core: CoreContext, name: K, call?: NoInfer<RouteInput<Routes[K]>>): Promise<RouteOutput<Routes[K]>>;
export async function route(core: CoreContext, name: RouteName, call?: unknown): Promise<unknown> {
  const def: RouteDef = ROUTES[name];
  return forwardRoute(core.signedIn().api, name, def, call as Parameters<typeof forwardRoute>[3]);
}
