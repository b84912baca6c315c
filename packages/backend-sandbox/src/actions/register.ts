import type { ActionHandler } from '@onebot-gateway/core';

/** Registers one action handler (on the core router, recording the name for the action list). */
export type RegisterAction = (action: string, handler: ActionHandler) => void;
