import { useMemo, useState } from 'preact/hooks';
import { useStream } from '../hooks.js';
import { t } from '../i18n.js';
import { VirtualList } from '../components/virtual-list.js';

/** Lines kept; older ones fall off. */
const MAX_LINES = 3000;

const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

interface LogLine {
  seq: number;
  level: number;
  time: number;
  msg: string;
  adapter?: string;
  component?: string;
}

let counter = 0;

function parse(data: string): LogLine | undefined {
  try {
    const line = JSON.parse(data) as Record<string, unknown>;
    return {
      seq: ++counter,
      level: typeof line.level === 'number' ? line.level : 30,
      time: typeof line.time === 'number' ? line.time : Date.now(),
      msg: typeof line.msg === 'string' ? line.msg : data,
      ...(typeof line.adapter === 'string' ? { adapter: line.adapter } : {}),
      ...(typeof line.component === 'string' ? { component: line.component } : {}),
    };
  } catch {
    return undefined;
  }
}

export function LogsPage() {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [minLevel, setMinLevel] = useState(20);
  const [adapter, setAdapter] = useState('');

  useStream('/api/logs', (batch) => {
    const fresh = batch.map((message) => parse(message.data)).filter((line): line is LogLine => !!line);
    setLines((old) => old.concat(fresh).slice(-MAX_LINES));
  });
  const adapters = useMemo(
    () => [...new Set(lines.map((line) => line.adapter).filter((name): name is string => !!name))].sort(),
    [lines],
  );
  const shown = useMemo(
    () => lines.filter((line) => line.level >= minLevel && (!adapter || line.adapter === adapter)),
    [lines, minLevel, adapter],
  );

  return (
    <section aria-labelledby="logs-title">
      <h1 id="logs-title">{t('Logs')}</h1>
      <div class="toolbar">
        <label>
          {t('Lowest level')}
          <select
            value={String(minLevel)}
            onChange={(event) => setMinLevel(Number((event.target as HTMLSelectElement).value))}
          >
            {Object.entries(LEVELS).map(([value, name]) => (
              <option key={value} value={value}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('Adapter')}
          <select value={adapter} onChange={(event) => setAdapter((event.target as HTMLSelectElement).value)}>
            <option value="">{t('any')}</option>
            {adapters.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => setLines([])}>
          {t('Clear')}
        </button>
      </div>
      <p class="muted small">
        {t('{shown} of {total} lines (newest {max} kept)', {
          shown: shown.length,
          total: lines.length,
          max: MAX_LINES,
        })}
      </p>
      <VirtualList
        items={shown}
        rowHeight={26}
        label={t('Log lines')}
        renderRow={(line) => (
          <div class={`log-row level-${LEVELS[line.level] ?? 'info'}`}>
            <span class="mono muted">{new Date(line.time).toLocaleTimeString()}</span>
            <span class="tag">{LEVELS[line.level] ?? line.level}</span>
            <span class="mono muted">{line.adapter ?? line.component ?? ''}</span>
            <span class="ellipsis" title={line.msg}>
              {line.msg}
            </span>
          </div>
        )}
      />
    </section>
  );
}
