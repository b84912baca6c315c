import { randomInt } from 'node:crypto';
import { definePlugin } from '../define-plugin.js';

export interface PingPongOptions {
  /** Sides of the die `/roll` throws when no number is given. Default 6. */
  sides?: number;
}

const MAX_SIDES = 1_000_000;

/**
 * Example plugin: answers `ping` with `pong`, and `/roll [sides]` with a die
 * throw. Load it with `{ "name": "ping-pong", "enable": true,
 * "module": "@onebot-gateway/plugin/examples/ping-pong" }`.
 */
export default definePlugin<PingPongOptions>({
  name: 'ping-pong',
  setup(ctx) {
    const defaultSides = ctx.options.sides ?? 6;
    ctx.on('message', async (event) => {
      // raw_message is the CQ string whatever the entry's messagePostFormat.
      const text = String(event.raw_message ?? '').trim();
      if (text === 'ping') {
        await ctx.reply(event, 'pong');
        return;
      }
      const roll = /^\/roll(?:\s+(\d{1,7}))?$/.exec(text);
      if (!roll) return;
      const sides = roll[1] === undefined ? defaultSides : Number(roll[1]);
      if (sides < 2 || sides > MAX_SIDES) {
        await ctx.reply(event, `a die needs 2 to ${MAX_SIDES} sides`, { autoEscape: true });
        return;
      }
      await ctx.reply(event, `🎲 ${randomInt(1, sides + 1)} (d${sides})`, { autoEscape: true });
    });
    ctx.logger.info('ping-pong ready: say "ping" or "/roll 20"');
  },
});
