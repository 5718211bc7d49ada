import type { FastifyInstance } from 'fastify';

export interface Route {
  path: string;
  methods: string[];
}

/** Every route the app serves, read from its route tree, so that a new route is walked too. */
export function routesOf(app: FastifyInstance): Route[] {
  const parents: string[] = [];
  const routes: Route[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[└├]── (.+) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const [, indent = '', segment = '', methods = ''] = match;
    const depth = indent.length / 4;
    const path = (parents[depth - 1] ?? '') + segment;
    parents[depth] = path;
    routes.push({ path, methods: methods.split(', ').filter((method) => method !== 'HEAD') });
  }
  return routes;
}
