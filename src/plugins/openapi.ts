import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import Type from 'typebox';

export const ErrorSchema = Type.Object(
  { error: Type.Object({ code: Type.String(), message: Type.String() }) },
  { description: 'every error: a code from a closed set and a sentence for people' },
);

/** The routes the document describes: the JSON API, not the document and its viewer. */
const isApi = (url: string) => url.startsWith('/api/') && !url.startsWith('/api/docs') && url !== '/api/openapi.json';

/**
 * The API described in OpenAPI 3, generated from the routes' own schemas: the document
 * cannot drift from what the routes validate and answer. Registered before the routes, so
 * that it sees each of them.
 */
export default fp<{ version: string }>(
  async (app, { version }) => {
    // Every JSON route answers errors in one shape; say so once for all of them.
    app.addHook('onRoute', (route) => {
      if (!isApi(route.url) || !route.schema) return;
      route.schema.response = { '4xx': ErrorSchema, '5xx': ErrorSchema, ...(route.schema.response ?? {}) };
    });

    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Pollcast API',
          version,
          description:
            'Real-time audience polling. Sign in with POST /api/auth/login and send the token as a bearer token.',
        },
        components: {
          securitySchemes: {
            bearer: { type: 'http', scheme: 'bearer' },
            manageToken: { type: 'apiKey', in: 'header', name: 'x-manage-token' },
          },
        },
        security: [{ bearer: [] }],
      },
      // Pages and static files are not part of the API. The WebSocket route is (as a GET
      // that upgrades), though @fastify/websocket hides it by default.
      transform: ({ schema, url }) => ({ schema: { ...schema, hide: !isApi(url) }, url }),
    });
    await app.register(swaggerUi, {
      routePrefix: '/api/docs',
      uiConfig: { tryItOutEnabled: true, validatorUrl: null },
    });
    app.get('/api/openapi.json', () => app.swagger());
  },
  { name: 'openapi' },
);
