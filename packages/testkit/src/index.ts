// First: fixes require('ws') for @fastify/websocket under vitest before any adapter module loads it.
export * from './ws-require-fix.js';
export * from './fake-backend.js';
export * from './recording-logger.js';
export * from './conformance/index.js';
export * from './http-bad-input.js';
export * from './raw-http.js';
export * from './memory.js';
export * from './event-loop.js';
export * from './tls-fixtures.js';
export * from './nats-server.js';
export { browserHandshake, callOverWebSocket, type Handshake } from './ws-handshake.js';
export { callOverHttp } from './http-bot.js';
export { closedByPeer, connectSilently } from './silent-socket.js';
export { waitUntil } from './wait-until.js';
