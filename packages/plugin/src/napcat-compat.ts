import { dirname, join } from 'node:path';
import { format } from 'node:util';
import type { ActionResponse, Logger, OneBotEvent } from '@onebot-gateway/core';
import type { PluginContext, PluginDefinition } from './types.js';

type NapCatFunction = (...args: unknown[]) => unknown;

/** The lifecycle functions a NapCat-style plugin module exports. */
export interface NapCatStyleModule {
  plugin_init?: NapCatFunction;
  plugin_onmessage?: NapCatFunction;
  plugin_onevent?: NapCatFunction;
  plugin_cleanup?: NapCatFunction;
  /**
   * Which calling convention the functions use, when their parameter counts
   * can't tell (rest parameters): `context` = current NapCat, one `ctx`
   * object; `positional` = older NapCat, `(core, obContext, actions, instance)`.
   */
  napcat_plugin_api?: 'context' | 'positional';
}

export function isNapCatStyleModule(value: unknown): value is NapCatStyleModule {
  if (typeof value !== 'object' || value === null) return false;
  const mod = value as Record<string, unknown>;
  return ['plugin_init', 'plugin_onmessage', 'plugin_onevent'].some((key) => typeof mod[key] === 'function');
}

/**
 * Current NapCat calls `plugin_init(ctx)`, `plugin_onmessage(ctx, event)`,
 * `plugin_onevent(ctx, event)`, `plugin_cleanup(ctx)`; older releases passed
 * four to six positional arguments. A function declaring more parameters
 * than the current form has is the old form.
 */
function usesContextForm(mod: NapCatStyleModule): boolean {
  if (mod.napcat_plugin_api === 'context') return true;
  if (mod.napcat_plugin_api === 'positional') return false;
  const arity = (fn: NapCatFunction | undefined) => (typeof fn === 'function' ? fn.length : 0);
  return (
    arity(mod.plugin_init) <= 1 &&
    arity(mod.plugin_cleanup) <= 1 &&
    arity(mod.plugin_onmessage) <= 2 &&
    arity(mod.plugin_onevent) <= 2
  );
}

/** NapCat's plugin logger takes console-style arguments; the first Error goes to `err`. */
function napCatLogger(logger: Logger) {
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]): void => {
      const err = args.find((arg) => arg instanceof Error) as Error | undefined;
      const rest = args.filter((arg) => arg !== err);
      const text = rest.length > 0 ? format(...rest) : (err?.message ?? '');
      if (err) logger[level]({ err }, text);
      else logger[level](text);
    };
  return {
    log: write('info'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
}

/**
 * `actions.get(name)` always gives a handler: only the router knows which
 * actions exist, and it answers an unknown one with retcode 1404, which is
 * what `handle` resolves with then. (There is no `has`: an answer that is
 * always true would be a lie.)
 */
function actionHandlerFor(ctx: PluginContext, name: string) {
  return {
    actionName: name,
    handle: (params: Record<string, unknown> = {}): Promise<ActionResponse> =>
      ctx.callRaw(name, params ?? {}),
  };
}

/** NapCat's WebUI page and route registry: the gateway serves no plugin pages, so registrations are logged and dropped. */
function ignoredRouter(ctx: PluginContext) {
  let warned = false;
  const ignore = (method: string) => (): void => {
    if (warned) return;
    warned = true;
    ctx.logger.warn(
      { plugin: ctx.name, method },
      `plugin "${ctx.name}" registered a NapCat WebUI route or page (router.${method}); the gateway serves none, so these are ignored`,
    );
  };
  const methods = [
    'api',
    'get',
    'post',
    'put',
    'delete',
    'apiNoAuth',
    'getNoAuth',
    'postNoAuth',
    'putNoAuth',
    'deleteNoAuth',
    'page',
    'pages',
    'static',
    'staticOnMem',
  ];
  return Object.fromEntries(methods.map((method) => [method, ignore(method)]));
}

/** NapCat's config-schema helpers, so a plugin that builds a WebUI schema in plugin_init still starts (the schema is not shown). */
const napCatConfig = (() => {
  const item =
    (type: string) =>
    (key: string, label: string, defaultValue?: unknown, description?: string, reactive?: boolean) => ({
      key,
      type,
      label,
      default: defaultValue,
      description,
      reactive,
    });
  const choice =
    (type: string) =>
    (
      key: string,
      label: string,
      options: unknown[],
      defaultValue?: unknown,
      description?: string,
      reactive?: boolean,
    ) => ({
      key,
      type,
      label,
      options,
      default: defaultValue,
      description,
      reactive,
    });
  return {
    text: item('string'),
    number: item('number'),
    boolean: item('boolean'),
    select: choice('select'),
    multiSelect: choice('multi-select'),
    html: (content: string) => ({ key: '', type: 'html', label: '', default: content }),
    plainText: (content: string) => ({ key: '', type: 'text', label: '', default: content }),
    combine: (...items: unknown[]) => items,
  };
})();

/**
 * The `ctx` current NapCat hands its plugins, as far as it makes sense
 * outside NapCat: `actions.call(name, params, adapterName, config)` resolves
 * with the action's data and rejects when it fails; `actions.get(name).handle(params)`
 * resolves with the whole response. NapCat's core and OneBot adapter objects
 * are not available.
 */
function createNapCatContext(ctx: PluginContext, file: string) {
  const adapterConfig = { name: ctx.name, enable: true };
  return {
    pluginName: ctx.name,
    adapterName: ctx.name,
    pluginPath: dirname(file),
    dataPath: ctx.dataDir,
    configPath: join(ctx.dataDir, 'config.json'),
    logger: napCatLogger(ctx.logger),
    actions: {
      get: (name: string) => actionHandlerFor(ctx, name),
      // NapCat's extra adapter and config arguments choose NapCat network settings; here there are none to choose.
      call: (name: string, params?: Record<string, unknown>) => ctx.call(name, params ?? {}),
    },
    core: {
      selfInfo: {
        get uin() {
          return String(ctx.selfId());
        },
      },
    },
    pluginManager: { config: adapterConfig },
    NapCatConfig: napCatConfig,
    router: ignoredRouter(ctx),
    getPluginExports: (): undefined => undefined,
  };
}

export type NapCatStyleContext = ReturnType<typeof createNapCatContext>;

/** Current NapCat: one ctx; every non-meta event to plugin_onevent, then messages to plugin_onmessage, in that order. */
function setUpContextForm(
  mod: NapCatStyleModule,
  ctx: PluginContext,
  file: string,
): Promise<unknown> | unknown {
  const napCatCtx = createNapCatContext(ctx, file);
  const { plugin_onevent: onEvent, plugin_onmessage: onMessage, plugin_cleanup: cleanup } = mod;
  if (onEvent || onMessage) {
    ctx.on('*', async (event: OneBotEvent) => {
      // NapCat's plugins see no meta events: heartbeats and lifecycle are per connection there.
      if (event.post_type === 'meta_event') return;
      if (onEvent) await onEvent(napCatCtx, event);
      if (onMessage && event.message_type !== undefined) await onMessage(napCatCtx, event);
    });
  }
  if (cleanup) ctx.onDispose(() => cleanup(napCatCtx));
  return mod.plugin_init?.(napCatCtx);
}

/**
 * Older NapCat: positional arguments. `core` carries `selfInfo.uin` only;
 * `actions.get(name).handle(params)` and `actions.call(name, params)` both
 * resolve with the whole response, as that release's handlers did.
 */
function setUpPositionalForm(mod: NapCatStyleModule, ctx: PluginContext): Promise<unknown> | unknown {
  const actions = {
    get: (name: string) => actionHandlerFor(ctx, name),
    call: (name: string, params: Record<string, unknown> = {}): Promise<ActionResponse> =>
      ctx.callRaw(name, params ?? {}),
  };
  const core = {
    selfInfo: {
      get uin() {
        return String(ctx.selfId());
      },
    },
    context: { logger: ctx.logger },
  };
  const obContext = { name: ctx.name, actions };
  const instance = { name: ctx.name, config: ctx.options, logger: ctx.logger };
  if (mod.plugin_onmessage) {
    const onMessage = mod.plugin_onmessage;
    ctx.on('message', (event: OneBotEvent) => onMessage(ctx.name, core, obContext, event, actions, instance));
    ctx.on('message_sent', (event: OneBotEvent) =>
      onMessage(ctx.name, core, obContext, event, actions, instance),
    );
  }
  if (mod.plugin_onevent) {
    const onEvent = mod.plugin_onevent;
    ctx.on('*', (event: OneBotEvent) => {
      if (event.post_type !== 'meta_event')
        return onEvent(ctx.name, core, obContext, event, actions, instance);
      return undefined;
    });
  }
  if (mod.plugin_cleanup) {
    const cleanup = mod.plugin_cleanup;
    ctx.onDispose(() => cleanup(core, obContext, actions, instance));
  }
  return mod.plugin_init?.(core, obContext, actions, instance);
}

/** Wrap a NapCat-style module (either calling convention) into a plugin definition, so NapCat plugins run unchanged. */
export function fromNapCatModule(mod: NapCatStyleModule, source: { file: string }): PluginDefinition {
  const contextForm = usesContextForm(mod);
  return {
    async setup(ctx) {
      await (contextForm ? setUpContextForm(mod, ctx, source.file) : setUpPositionalForm(mod, ctx));
    },
  };
}
