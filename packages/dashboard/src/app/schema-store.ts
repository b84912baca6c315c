import { api, ApiError } from './api.js';
import type { ApiSchema } from './schema.js';

let cached: Promise<ApiSchema | undefined> | undefined;

/** `GET /api/schema`, once per page load; undefined when this gateway has no such route (the forms then fall back). */
export function loadSchema(): Promise<ApiSchema | undefined> {
  cached ??= api<ApiSchema>('/api/schema').catch((error: unknown) => {
    cached = undefined;
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  });
  return cached;
}
