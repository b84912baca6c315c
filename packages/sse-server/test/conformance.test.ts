import {
  applyAuth,
  callOverHttp,
  runAdapterConformance,
  type AuthInput,
  type EventStream,
  type Rejected,
} from '@onebot-gateway/testkit';
import { createSseServerAdapter } from '../src/index.js';
import { openSse } from './sse-client.js';

/** GET /_events read like an EventSource; resolves once the stream is open (the server registers it before answering). */
async function openEvents(baseUrl: string, auth: AuthInput): Promise<EventStream | Rejected> {
  const { url, headers } = applyAuth(`${baseUrl}/_events`, auth);
  const stream = await openSse(url, headers);
  if (stream.status !== 200) {
    stream.close();
    return { rejected: true, status: stream.status };
  }
  return {
    next: async (timeoutMs) => (await stream.next(timeoutMs)).json,
    close: async () => {
      stream.close();
      await stream.ended;
    },
  };
}

runAdapterConformance({
  name: 'sse-server',
  kind: 'server',
  capabilities: { actions: true, events: true, auth: 'server', lifecycle: 'connect', heartbeat: true },
  async createTarget({ context, settings }) {
    const adapter = createSseServerAdapter({ ...settings, port: 0 }, context);
    await adapter.start();
    const baseUrl = `http://${adapter.status().address}`;
    return {
      callAction: (body, auth) => callOverHttp(baseUrl, body, auth),
      openEvents: (auth) => openEvents(baseUrl, auth),
      stop: () => adapter.stop(),
    };
  },
});
