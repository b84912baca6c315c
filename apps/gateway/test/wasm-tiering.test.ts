import { describe, expect, it } from 'vitest';
import { useGatewayProcesses } from './support/fixture.js';
import { gatewayConfig, until, type GatewayProcess } from './support/gateway-process.js';

// V8 prints one line per function it optimises: "Compiled function ... using TurboFan, took N ms and M / T max/total bytes".
const TRACE = '--trace-wasm-compilation-times';
const optimised = /using TurboFan/;
const MESSAGES = 30;

describe("the gateway defers optimising undici's WebAssembly parser (idle memory)", () => {
  const fixture = useGatewayProcesses();

  /** Start a gateway posting to a receiver, simulate MESSAGES group messages, wait until all were posted. */
  async function postMessages(nodeArgs: string[]): Promise<GatewayProcess> {
    const target = await fixture.postReceiver();
    const posts = () => target.received.length;
    const gateway = await fixture.spawn(
      gatewayConfig({ httpClients: [{ name: 'post', enable: true, url: target.url }] }),
      { nodeArgs },
    );
    const before = posts();
    for (let i = 0; i < MESSAGES; i += 1) {
      const { status } = await gateway.post('/api/sandbox/messages', {
        message_type: 'group',
        user_id: 10001,
        group_id: 20001,
        message: `hello ${i}`,
      });
      expect(status).toBe(200);
    }
    await until(() => posts() - before >= MESSAGES, `${MESSAGES} posts`, 10_000);
    return gateway;
  }

  it('V8 default budget (the control): the parser is optimised after a handful of replies', async () => {
    const running = await postMessages(['--wasm-tiering-budget=1800000', TRACE]);
    // The operator's own flag wins over the gateway's budget, so V8 optimises as it would anywhere.
    const line = await running.waitForLog(optimised, 10_000);
    expect(line.msg).toMatch(/took \d+ ms/);
  });

  it("the gateway's budget: thirty posted events later nothing has been optimised", async () => {
    const running = await postMessages([TRACE]);
    // The control sees its line within about a second of the posts; give this one longer to be sure.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(running.logs.filter((line) => optimised.test(line.msg))).toEqual([]);
    // And the gateway is working, not just quiet: the http-client reports what it sent.
    expect((await running.adapter('post')).eventsSent).toBeGreaterThanOrEqual(MESSAGES);
  });
});
