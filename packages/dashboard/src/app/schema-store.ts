import { api, ApiError } from './api.js';
import type { ApiSchema } from './schema.js';
import { loadSchemaTexts } from './schema-text.js';

let cached: Promise<ApiSchema | undefined> | undefined;

/**
 * `GET /api/schema`, once per page load; undefined when this gateway has no such route (the forms
 * then fall back). Also waits for the picked language's description texts, on every call: the pages
 * remount when the language changes, so the first render after a switch already has them.
 */
export async function loadSchema(): Promise<ApiSchema | undefined> {
  cached ??= api<ApiSchema>('/api/schema').catch((error: unknown) => {
    cached = undefined;
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  });
  const [schema] = await Promise.all([cached, loadSchemaTexts()]);
  return schema;
}
