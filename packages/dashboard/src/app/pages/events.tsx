import { useMemo, useRef, useState } from 'preact/hooks';
import { useStream } from '../hooks.js';
import { t } from '../i18n.js';
import { inStringFormat, kindOf, summaryOf } from '../cq.js';
import type { OneBotEvent } from '../types.js';
import { VirtualList } from '../components/virtual-list.js';

/** Events kept in the list; older ones fall off, so a day-long tab stays small. */
const MAX_EVENTS = 5000;

interface Row {
  seq: number;
  event: OneBotEvent;
}

interface Filters {
  postType: string;
  messageType: string;
  group: string;
  user: string;
  text: string;
}

function matches(event: OneBotEvent, filters: Filters): boolean {
  if (filters.postType && event.post_type !== filters.postType) return false;
  if (filters.messageType && event.message_type !== filters.messageType) return false;
  if (filters.group && String(event.group_id ?? '') !== filters.group.trim()) return false;
  if (filters.user && String(event.user_id ?? '') !== filters.user.trim()) return false;
  if (filters.text && !summaryOf(event).toLowerCase().includes(filters.text.toLowerCase())) return false;
  return true;
}

const messageKey = (event: OneBotEvent) => `${event.post_type}:${String(event.message_id)}`;

/** The gateway's own string form when it arrived, else the browser's conversion (same rules, said so). */
function stringFormOf(
  event: OneBotEvent,
  known: Map<string, OneBotEvent>,
): { event: OneBotEvent; converted: boolean } {
  if (event.message === undefined || typeof event.message === 'string') return { event, converted: false };
  const own = known.get(messageKey(event));
  return own ? { event: own, converted: false } : { event: inStringFormat(event), converted: true };
}

const time = (seconds?: number) => (seconds ? new Date(seconds * 1000).toLocaleTimeString() : '');

export function EventsPage() {
  const [rows, setRows] = useState<Row[]>([]);
  const [paused, setPaused] = useState(false);
  const [held, setHeld] = useState(0);
  const heldRows = useRef<Row[]>([]);
  const seq = useRef(0);
  const [selected, setSelected] = useState<Row | undefined>();
  const [filters, setFilters] = useState<Filters>({
    postType: '',
    messageType: '',
    group: '',
    user: '',
    text: '',
  });

  // The same events as the gateway writes them in the `string` format, by message: shown beside the
  // array form. Events without a message are the same in both formats.
  const asString = useRef(new Map<string, OneBotEvent>());
  useStream('/api/events?format=string', (batch) => {
    for (const message of batch) {
      try {
        const event = JSON.parse(message.data) as OneBotEvent;
        if (event.message_id === undefined || event.message === undefined) continue;
        asString.current.set(messageKey(event), event);
        if (asString.current.size > MAX_EVENTS)
          asString.current.delete(asString.current.keys().next().value as string);
      } catch {
        // not an event
      }
    }
  });

  useStream('/api/events?format=array', (batch) => {
    const fresh: Row[] = [];
    for (const message of batch) {
      try {
        fresh.push({ seq: ++seq.current, event: JSON.parse(message.data) as OneBotEvent });
      } catch {
        // a frame that is not JSON is not an event
      }
    }
    if (paused) {
      heldRows.current = heldRows.current.concat(fresh).slice(-MAX_EVENTS);
      setHeld(heldRows.current.length);
      return;
    }
    setRows((old) => old.concat(fresh).slice(-MAX_EVENTS));
  });

  const resume = () => {
    setRows((old) => old.concat(heldRows.current).slice(-MAX_EVENTS));
    heldRows.current = [];
    setHeld(0);
    setPaused(false);
  };
  const stringForm = selected ? stringFormOf(selected.event, asString.current) : undefined;
  const shown = useMemo(() => rows.filter((row) => matches(row.event, filters)), [rows, filters]);
  const field = (key: keyof Filters) => ({
    value: filters[key],
    onInput: (event: Event) => setFilters({ ...filters, [key]: (event.target as HTMLInputElement).value }),
  });

  return (
    <section aria-labelledby="events-title">
      <h1 id="events-title">{t('Events')}</h1>
      <div class="toolbar">
        <label>
          {t('Post type')}
          <select {...field('postType')} onChange={field('postType').onInput}>
            <option value="">{t('any')}</option>
            {['message', 'message_sent', 'notice', 'request', 'meta_event'].map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('Message type')}
          <select {...field('messageType')} onChange={field('messageType').onInput}>
            <option value="">{t('any')}</option>
            <option value="private">private</option>
            <option value="group">group</option>
          </select>
        </label>
        <label>
          {t('Group')}
          <input inputMode="numeric" size={10} {...field('group')} />
        </label>
        <label>
          {t('User')}
          <input inputMode="numeric" size={10} {...field('user')} />
        </label>
        <label>
          {t('Text')}
          <input type="search" {...field('text')} />
        </label>
        <button type="button" onClick={() => (paused ? resume() : setPaused(true))} aria-pressed={paused}>
          {paused ? t('Resume ({count} new)', { count: held }) : t('Pause')}
        </button>
        <button type="button" onClick={() => setRows([])}>
          {t('Clear')}
        </button>
      </div>
      <p class="muted small">
        {t('{shown} of {total} events (newest {max} kept)', {
          shown: shown.length,
          total: rows.length,
          max: MAX_EVENTS,
        })}
      </p>
      <div class="split">
        <VirtualList
          items={shown}
          rowHeight={30}
          label={t('Events')}
          renderRow={(row) => (
            <button
              type="button"
              class={`event-row${selected?.seq === row.seq ? ' selected' : ''}`}
              onClick={() => setSelected(row)}
            >
              <span class="mono muted">{time(row.event.time)}</span>
              <span class="tag">{kindOf(row.event)}</span>
              <span class="mono">{row.event.group_id ?? ''}</span>
              <span class="mono">{row.event.user_id ?? ''}</span>
              <span class="ellipsis">{summaryOf(row.event)}</span>
            </button>
          )}
        />
        <div class="card detail" aria-live="polite">
          {selected ? (
            <>
              <h2>{t('Event #{n}', { n: selected.seq })}</h2>
              <h3>{t('Array format')}</h3>
              <pre data-testid="event-array">{JSON.stringify(selected.event, null, 2)}</pre>
              <h3>{t('String format')}</h3>
              {stringForm?.converted && (
                <p class="muted small">
                  {t("Converted in the browser: the gateway's copy of this event was not received.")}
                </p>
              )}
              <pre data-testid="event-string">{JSON.stringify(stringForm?.event, null, 2)}</pre>
            </>
          ) : (
            <p class="muted">{t('Pick an event to see its JSON.')}</p>
          )}
        </div>
      </div>
    </section>
  );
}
