import type { ActionResponse, OneBotEvent } from '@onebot-gateway/core';
import type { PluginContext, PluginDefinition } from './types.js';

/** The lifecycle functions a NapCat-style plugin module exports. */
export interface NapCatStyleModule {
  plugin_init?: (...args: unknown[]) => unknown;
  plugin_onmessage?: (...args: unknown[]) => unknown;
  plugin_onevent?: (...args: unknown[]) => unknown;
  plugin_cleanup?: (...args: unknown[]) => unknown;
}

export function isNapCatStyleModule(value: unknown): value is NapCatStyleModule {
  if (typeof value !== 'object' || value === null) return false;
  const mod = value as Record<string, unknown>;
  return ['plugin_init', 'plugin_onmessage', 'plugin_onevent'].some((key) => typeof mod[key] === 'function');
}

/**
 * The `actions` argument NapCat plugins get: `actions.get(name)?.handle(params)`
 * as in NapCat, plus `actions.call(name, params)`. Both resolve with the whole
 * OneBot response, as NapCat's handlers do.
 */
function createActionsShim(ctx: PluginContext) {
  const handlerFor = (name: string) => ({ handle: (params: Record<string, unknown> = {}) => ctx.callRaw(name, params) });
  return {
    get: handlerFor,
    has: () => true,
    call: (name: string, params: Record<string, unknown> = {}): Promise<ActionResponse> => ctx.callRaw(name, params),
  };
}

/**
 * Wrap a NapCat-style module into a plugin definition so simple NapCat
 * plugins run unchanged. NapCat passes its own core and adapter objects;
 * here `core` carries `selfInfo.uin` and the context fields a plugin can use
 * without NapCat internals.
 */
export function fromNapCatModule(mod: NapCatStyleModule): PluginDefinition {
  return {
    async setup(ctx) {
      const actions = createActionsShim(ctx);
      const core = { selfInfo: { uin: String(ctx.selfId()) }, context: { logger: ctx.logger } };
      const obContext = { name: ctx.name, actions };
      const instance = { name: ctx.name, config: ctx.options, logger: ctx.logger };
      if (mod.plugin_onmessage) {
        const onMessage = mod.plugin_onmessage;
        ctx.on('message', (event: OneBotEvent) => onMessage(ctx.name, core, obContext, event, actions, instance));
        ctx.on('message_sent', (event: OneBotEvent) => onMessage(ctx.name, core, obContext, event, actions, instance));
      }
      if (mod.plugin_onevent) {
        const onEvent = mod.plugin_onevent;
        ctx.on('*', (event: OneBotEvent) => onEvent(ctx.name, core, obContext, event, actions, instance));
      }
      if (mod.plugin_cleanup) {
        const cleanup = mod.plugin_cleanup;
        ctx.onDispose(() => cleanup(core, obContext, actions, instance));
      }
      await mod.plugin_init?.(core, obContext, actions, instance);
    },
  };
}
