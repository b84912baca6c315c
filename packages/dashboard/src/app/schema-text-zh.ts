import { actionTextZhCN } from './schema-text-zh-actions.js';
import { configTextZhCN } from './schema-text-zh-config.js';

/**
 * zh-CN texts for what the dashboard shows from the gateway's served JSON Schema
 * (`GET /api/schema`): config field descriptions and action (and action param)
 * descriptions. Keyed by the exact English text, so an English text that changes
 * shows in English until it gets an entry again; test/schema-text-zh.test.ts lists
 * the missing and the stale entries. Only schema-text.ts imports this, dynamically,
 * so the tables are a chunk of their own that an English page never loads.
 */
export const schemaTextZhCN: Record<string, string> = { ...configTextZhCN, ...actionTextZhCN };
