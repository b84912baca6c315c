import { formatEvent, type EventSubscription, type OneBotEvent } from '@onebot-gateway/core';
import { passesFilterQuery } from '@onebot-gateway/core/internal';

/**
 * The event as one subscriber takes it, as the bus would give it: undefined
 * when the subscriber does not want it (a self message it does not report,
 * or its filter says no), else in its message format.
 */
export function viewFor(event: OneBotEvent, subscription: EventSubscription): OneBotEvent | undefined {
  if (event.post_type === 'message_sent' && !subscription.reportSelfMessage) return undefined;
  if (!passesFilterQuery(subscription.filter?.(), event)) return undefined;
  return formatEvent(event, subscription.format);
}
