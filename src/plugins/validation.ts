import { AjvCompiler } from '@fastify/ajv-compiler';
import fp from 'fastify-plugin';

/**
 * Fastify's validator, with one change: a JSON body is typed data, so a number where text
 * belongs (or "1" where a number belongs) is refused rather than converted. Path parameters,
 * query strings and form fields arrive as text and are still converted to their schema's types;
 * form schemas declare text only.
 */
export default fp(
  async (app) => {
    const compilers = AjvCompiler();
    const strict = compilers({}, { customOptions: { coerceTypes: false } });
    const converting = compilers({}, { customOptions: {} });
    app.setValidatorCompiler((route) => (route.httpPart === 'body' ? strict : converting)(route));
  },
  { name: 'validation' },
);
