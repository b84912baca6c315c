import { useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { isTruthy, type JsonSchema } from '../schema.js';
import type { AdapterReport } from '../types.js';
import { entrySchema, type Entry, type Kind } from '../network-model.js';
import { SchemaFields } from './schema-form.js';
import { StatusBadge } from './status-badge.js';
import { shownStatus, TickingRetryCountdown } from './adapter-live.js';

interface AdapterCardProps {
  kind: Kind;
  entry: Entry;
  path: string;
  report?: AdapterReport;
  schema: JsonSchema;
  errors: Record<string, string>;
  onChange: (entry: Entry) => void;
  onDuplicate: () => void;
  onDelete: () => void;
}

/** One adapter entry: live status, enable switch, and its schema-generated edit form. */
export function AdapterCard({
  kind,
  entry,
  path,
  report,
  schema,
  errors,
  onChange,
  onDuplicate,
  onDelete,
}: AdapterCardProps) {
  const hasError = Object.keys(errors).some((key) => key.startsWith(`${path}.`) || key === path);
  const [open, setOpen] = useState(false);
  const expanded = open || hasError;
  const name = String(entry.name ?? '');
  const switchId = `enable-${path.replace(/[^A-Za-z0-9]/g, '_')}`;
  const where =
    entry.url ??
    (entry.port !== undefined ? `${String(entry.host ?? '')}:${String(entry.port)}` : entry.module);

  return (
    <article
      class={`card adapter-card${hasError ? ' invalid' : ''}`}
      data-adapter-card={name}
      aria-label={name}
    >
      <header class="card-head">
        <h3>{name || t('(no name)')}</h3>
        {report ? (
          <StatusBadge status={shownStatus(report)} />
        ) : (
          <span class="badge off">{t('not saved')}</span>
        )}
      </header>
      <p class="mono small">{String(where ?? '')}</p>
      {report && shownStatus(report) === 'connecting' && report.nextRetryAt !== undefined && (
        <TickingRetryCountdown at={report.nextRetryAt} />
      )}
      {report?.lastError && <p class="error small">{report.lastError}</p>}
      <div class="toolbar">
        <span class="switch">
          <input
            id={switchId}
            type="checkbox"
            role="switch"
            checked={isTruthy(entry.enable)}
            onChange={(event) => onChange({ ...entry, enable: (event.target as HTMLInputElement).checked })}
          />
          <label for={switchId}>{t('Enabled')}</label>
        </span>
        <button type="button" aria-expanded={expanded} onClick={() => setOpen(!open)}>
          {expanded ? t('Close') : t('Edit')}
        </button>
        <button type="button" onClick={onDuplicate}>
          {t('Duplicate')}
        </button>
        <button type="button" class="danger" onClick={onDelete}>
          {t('Delete')}
        </button>
      </div>
      {expanded && (
        <SchemaFields
          schema={entrySchema(kind, schema)}
          root={schema}
          value={entry}
          path={path}
          errors={errors}
          onChange={onChange}
        />
      )}
    </article>
  );
}
