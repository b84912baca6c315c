import type { ClientOptions } from 'ws';
import { OneBotError, redactUrl, type WebsocketClientConfig } from '@onebot-gateway/core';
import { redactSecrets, type SessionOptions } from '@onebot-gateway/core/internal';
import type { WsClientOptions } from './config.js';

export const WS_CLIENT_USER_AGENT = 'OneBot/11';

const WS_SCHEME_OF: Readonly<Record<string, string | undefined>> = {
  'ws:': 'ws:',
  'wss:': 'wss:',
  'http:': 'ws:',
  'https:': 'wss:',
};

/**
 * The ws:// or wss:// URL to dial. http:// and https:// are accepted on
 * purpose (core's schema loads them: NapCat users write them) and mean ws://
 * and wss://; anything else cannot be reached and fails start().
 */
export function targetUrl(config: WsClientOptions): string {
  let target: URL | undefined;
  try {
    target = new URL(config.url);
  } catch {
    target = undefined;
  }
  const scheme = target === undefined ? undefined : WS_SCHEME_OF[target.protocol];
  if (target === undefined || scheme === undefined) {
    throw new OneBotError(
      'ADAPTER_START_FAILED',
      `${config.name}: url "${redactSecrets(redactUrl(String(config.url)), config.token)}" is not a ws://, wss://, http:// or https:// URL; fix "url" in this websocketClients entry`,
      { details: { adapter: config.name } },
    );
  }
  target.protocol = scheme;
  return target.href;
}

/** What one attempt dials with: the OneBot 11 reverse WebSocket headers (protocol.md section 7) and limits. */
export function dialOptions(
  config: WsClientOptions,
  selfId: number,
  trustedCa: string[] | undefined,
): ClientOptions {
  const headers: Record<string, string> = {
    'X-Self-ID': String(selfId),
    'X-Client-Role': 'Universal',
    'User-Agent': WS_CLIENT_USER_AGENT,
  };
  if (config.token !== '') headers.Authorization = `Bearer ${config.token}`;
  return {
    headers,
    perMessageDeflate: false,
    maxPayload: config.maxPayload,
    handshakeTimeout: config.handshakeTimeout,
    rejectUnauthorized: config.verifyCertificate,
    ...(trustedCa === undefined ? {} : { ca: trustedCa }),
  };
}

export function sessionOptionsOf(config: WebsocketClientConfig): Partial<SessionOptions> {
  return {
    messagePostFormat: config.messagePostFormat,
    reportSelfMessage: config.reportSelfMessage,
    // A reverse connection is opened by us to receive events: push at once.
    enableForcePushEvent: true,
    heartInterval: config.heartInterval,
    maxBufferedBytes: config.maxBufferedBytes,
    debug: config.debug,
    token: config.token,
    filter: config.filter ?? null,
  };
}

/** Keys whose change needs a new connection; the others apply to the open one. */
export function needsReconnect(previous: WsClientOptions, next: WsClientOptions): boolean {
  return (
    ['url', 'token', 'verifyCertificate', 'maxPayload'].some((key) => previous[key] !== next[key]) ||
    JSON.stringify(previous.tls) !== JSON.stringify(next.tls)
  );
}
