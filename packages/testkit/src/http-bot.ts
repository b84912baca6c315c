import type { AuthInput, CallOutcome } from './conformance/types.js';
import { applyAuth } from './conformance/ws-bot.js';

/** A bot calling `POST /` with a raw body, as the conformance suite wants it (http-server, sse-server). */
export async function callOverHttp(baseUrl: string, body: string, auth: AuthInput): Promise<CallOutcome> {
  const { url, headers } = applyAuth(`${baseUrl}/`, auth);
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
