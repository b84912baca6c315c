import {
  runAdapterConformance,
  type AuthInput,
  type CallOutcome,
  type EventStream,
  type Rejected,
} from '@onebot-gateway/testkit';
import { createSseServerAdapter } from '../src/index.js';
import { openSse } from './sse-client.js';

function withAuth(url: string, auth: AuthInput): { url: string; headers: Record<string, string> } {
  const target = new URL(url);
  if (auth.kind === 'query') target.searchParams.set('access_token', auth.token);
  return { url: target.toString(), headers: auth.kind === 'header' ? { authorization: auth.value } : {} };
}

async function callOverHttp(baseUrl: string, body: string, auth: AuthInput): Promise<CallOutcome> {
  const { url, headers } = withAuth(`${baseUrl}/`, auth);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  if (response.status === 401 || response.status === 403) return { rejected: true, status: response.status };
  return {
    rejected: false,
    response: JSON.parse(text) as Record<string, unknown>,
    httpStatus: response.status,
  };
}

/** GET /_events read like an EventSource; resolves once the stream is open (the server registers it before answering). */
async function openEvents(baseUrl: string, auth: AuthInput): Promise<EventStream | Rejected> {
  const { url, headers } = withAuth(`${baseUrl}/_events`, auth);
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
