/** `@onebot-gateway/backend-upstream/config-fields`: the relay's `gateway.backend` keys as data, without the relay. */
export { upstreamConfigFields } from './upstream-config.js';
