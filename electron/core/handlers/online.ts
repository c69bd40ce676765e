import type { RouteDef, RouteInput, RouteOutput } from '../../../shared/api/route';
import { ROUTES, type RouteName, type Routes } from '../../../shared/api/routes';
import { forwardRoute } from '../api/route-forwarder';
import type { CoreContext } from './context';

/**
 * Calls a declared route with the signed-in session, as the derived `api.*` channels do: the
 * request is typed by the route's schemas and the answer is checked against its response.
 */
export async function route<K extends RouteName>(core: CoreContext, name: K, ...call: Record<never, never> extends RouteInput<Routes[K]> ? [call?: RouteInput<Routes[K]>] : [call: RouteInput<Routes[K]>]): Promise<RouteOutput<Routes[K]>> {
  const def: RouteDef = ROUTES[name];
  return (await forwardRoute(core.signedIn().api, name, def, call[0] as Parameters<typeof forwardRoute>[3])) as RouteOutput<Routes[K]>;
}
