import { createRequire } from 'node:module';

type CompilerFactory = (...args: unknown[]) => unknown;

/** fastify's `schemaController` server option, as far as this module fills it. */
export interface OnDemandSchemaController {
  compilersFactory: { buildValidator: CompilerFactory; buildSerializer: CompilerFactory };
}

/**
 * A fastify `schemaController` option that loads fastify's own schema
 * compilers (ajv for validation, fast-json-stringify for serialisation) the
 * first time a route of that server declares a schema, not when the server is
 * built, which is when fastify loads them by default.
 *
 * Why: none of our servers' routes declares a schema (bodies are checked by
 * the action router's own schemas), yet the two compilers and what they
 * import are about a third of the JavaScript a gateway loads: some 600 KB of
 * source in 113 modules, 1.5 MiB of heap held for nothing at idle.
 *
 * `callerUrl` is the calling module's `import.meta.url`: fastify is resolved
 * from the caller's package and the compilers from fastify's own folder, so
 * they are exactly the ones fastify would have loaded. One difference a route
 * with a schema would see: fastify treats these as custom compilers, so a
 * `headers` schema is compiled as written (fastify lower-cases its keys for
 * its default compiler): write header names in lower case.
 *
 * `Option` is fastify's own type for the option, from the caller (core does
 * not depend on fastify): `schemaCompilersOnDemand<FastifyServerOptions['schemaController']>(import.meta.url)`.
 */
export function schemaCompilersOnDemand<Option = OnDemandSchemaController>(callerUrl: string | URL): Option {
  const fromFastify = (): NodeJS.Require => createRequire(createRequire(callerUrl).resolve('fastify'));
  let validator: CompilerFactory | undefined;
  let serializer: CompilerFactory | undefined;
  const option: OnDemandSchemaController = {
    compilersFactory: {
      buildValidator: (...args) => {
        validator ??= (fromFastify()('@fastify/ajv-compiler') as () => CompilerFactory)();
        return validator(...args);
      },
      buildSerializer: (...args) => {
        serializer ??= (fromFastify()('@fastify/fast-json-stringify-compiler') as () => CompilerFactory)();
        return serializer(...args);
      },
    },
  };
  return option as Option;
}
