import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

/**
 * Security headers on every answer. The Content-Security-Policy allows scripts, styles and
 * connections from this site only, and no inline script or event-handler attribute: text that
 * ever slipped past the escaping into a page still could not run. The API docs page (Swagger UI)
 * is allowed its few inline pieces by their hashes, and nothing else.
 */
// One more inline style that swagger-ui-bundle inserts at run time, missing from the package's
// list; the browser test of the docs page fails if an upgrade changes it.
const DOCS_RUNTIME_STYLE = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

export default fp<{ publicUrl: string | undefined }>(
  async (app, { publicUrl }) => {
    const docs = app.swaggerCSP;
    await app.register(helmet, {
      contentSecurityPolicy: {
        // Helmet's defaults add upgrade-insecure-requests, which breaks Pollcast served over
        // plain http on a room's network (the usual laptop setup).
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", ...docs.script],
          scriptSrcAttr: ["'none'"],
          styleSrc: ["'self'", ...docs.style, DOCS_RUNTIME_STYLE],
          // data: for Swagger UI's icons; blob: for the admin's preview of a chosen image.
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // Strict-Transport-Security only means something on a site reached over https.
      strictTransportSecurity: publicUrl?.startsWith('https://') ? { maxAge: 180 * 24 * 60 * 60 } : false,
    });
  },
  { name: 'security-headers', dependencies: ['openapi'] },
);
