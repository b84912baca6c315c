import { signBody } from '@onebot-gateway/core';

export const HTTP_CLIENT_USER_AGENT = 'OneBot/11 onebot-gateway';

/**
 * The headers of one event POST (protocol.md section 7): `X-Self-ID` always,
 * and with a token `Authorization` plus the body's `X-Signature`. Without a
 * token every POST carries the same headers, so they are built once per self
 * id instead of once per event.
 */
export function createPostHeaders(
  token: () => string,
  selfId: () => number,
): (body: Buffer) => Record<string, string> {
  let shared: { selfId: number; headers: Record<string, string> } | undefined;
  return (body) => {
    const id = selfId();
    const secret = token();
    if (secret === '') {
      if (shared?.selfId !== id) {
        shared = {
          selfId: id,
          headers: {
            'content-type': 'application/json',
            'user-agent': HTTP_CLIENT_USER_AGENT,
            'x-self-id': String(id),
          },
        };
      }
      return shared.headers;
    }
    return {
      'content-type': 'application/json',
      'user-agent': HTTP_CLIENT_USER_AGENT,
      'x-self-id': String(id),
      authorization: `Bearer ${secret}`,
      'x-signature': signBody(secret, body),
    };
  };
}
