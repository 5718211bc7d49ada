import { AjvCompiler } from '@fastify/ajv-compiler';
import fp from 'fastify-plugin';

/**
 * Fastify's validator, with two changes for bodies. A JSON body is typed data, so a number where
 * text belongs (or "1" where a number belongs) is refused rather than converted; and a field the
 * route does not know is refused rather than silently dropped, so that a body made only of unknown
 * fields never reaches a handler as an empty change. Path parameters, query strings and form
 * fields arrive as text and are still converted to their schema's types; form schemas declare
 * text only. Unknown query parameters are still ignored: links get decorated by other software.
 */
export default fp(
  async (app) => {
    const compilers = AjvCompiler();
    const strict = compilers({}, { customOptions: { coerceTypes: false, removeAdditional: false } });
    const converting = compilers({}, { customOptions: {} });
    app.setValidatorCompiler((route) => (route.httpPart === 'body' ? strict : converting)(route));
  },
  { name: 'validation' },
);
