import type { SessionRole } from '@onebot-gateway/core/internal';

/** protocol.md 7: `/api` and `/api/` API-only, `/event` and `/event/` event-only, every other path universal. */
export function roleForPath(url: string): SessionRole {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  if (path === '/api' || path === '/api/') return 'api';
  if (path === '/event' || path === '/event/') return 'event';
  return 'universal';
}
