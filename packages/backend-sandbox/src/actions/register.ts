import type { ActionHandlerContext, ActionName, ActionResult } from '@onebot-gateway/core';

/** A handler typed by core's ActionMap: what it returns is the action's `data`. */
export type SandboxActionHandler<A extends ActionName> = (
  params: Record<string, unknown>,
  context: ActionHandlerContext,
) => ActionResult<A>;

/** Registers one action handler on the core router (and records the name for `actions()`). */
export type RegisterAction = <A extends ActionName>(action: A, handler: SandboxActionHandler<A>) => void;
