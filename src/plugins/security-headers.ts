import type { IncomingMessage, ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Security headers on every answer (the page assets get only those that apply to them). The Content-Security-Policy allows scripts, styles and
 * connections from this site only, and no inline script or event-handler attribute: text that
 * ever slipped past the escaping into a page still could not run. The API docs page (Swagger UI)
 * is allowed its few inline pieces by their hashes, and nothing else.
 */
// One more inline style that swagger-ui-bundle inserts at run time, missing from the package's
// list; the browser test of the docs page fails if an upgrade changes it.
const DOCS_RUNTIME_STYLE = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

// What a page's script, stylesheet or icon needs of them: its type is never guessed, and other sites
// cannot embed it. The rest (the policy, framing, referrer) only means something for a document, and
// repeated on every asset it was a third of what a phone downloads on its first visit.
const ASSET_HEADERS = ['x-content-type-options', 'cross-origin-resource-policy'];

export default fp<{ publicUrl: string | undefined; assetsPrefix: string }>(
  async (app, { publicUrl, assetsPrefix }) => {
    const docs = app.swaggerCSP;
    const headers = helmetHeaders({
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
      // No address is ever sent to another site (a join code in it stays here), as with helmet's
      // `no-referrer`; but under `no-referrer` browsers send `Origin: null` with this site's own
      // form posts, which the same-site check must refuse, as it refuses a sandboxed frame's.
      referrerPolicy: { policy: 'same-origin' },
      // Strict-Transport-Security only means something on a site reached over https.
      strictTransportSecurity: publicUrl?.startsWith('https://') ? { maxAge: 180 * 24 * 60 * 60 } : false,
    });
    const assetHeaders = Object.fromEntries(Object.entries(headers).filter(([name]) => ASSET_HEADERS.includes(name)));
    app.addHook('onRequest', (request, reply, done) => {
      reply.headers(request.url.startsWith(assetsPrefix) ? assetHeaders : headers);
      done();
    });
  },
  { name: 'security-headers', dependencies: ['openapi'] },
);

/**
 * Helmet's headers for these options, worked out once. They are the same for every answer (no
 * per-request nonce), and helmet would otherwise rebuild its middleware and the policy string on
 * each request, which showed as the largest cost of the vote path outside the database.
 */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader() {},
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}
