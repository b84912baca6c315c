import { t } from '../i18n.js';
import type { Segment } from '../types.js';

export interface SegmentContext {
  nameOf: (userId: number | string) => string;
  /** The quoted message's text, when it is in view. */
  quoteOf: (messageId: number | string) => string | undefined;
}

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));

function Chip({ icon, label }: { icon: string; label: string }) {
  return (
    <span class="chip">
      <span aria-hidden="true">{icon}</span> {label}
    </span>
  );
}

/** One OneBot 11 segment as a person reads it; media are chips (the page loads nothing from elsewhere). */
function SegmentView({ segment, context }: { segment: Segment; context: SegmentContext }) {
  const data = segment.data ?? {};
  switch (segment.type) {
    case 'text':
      return <span class="seg-text">{text(data.text)}</span>;
    case 'face':
      return <Chip icon="☺" label={t('face {id}', { id: text(data.id) })} />;
    case 'at':
      return (
        <span class="seg-at">@{data.qq === 'all' ? t('everyone') : context.nameOf(text(data.qq))} </span>
      );
    case 'reply':
      return (
        <blockquote class="seg-reply">
          {context.quoteOf(text(data.id)) ?? t('message #{id}', { id: text(data.id) })}
        </blockquote>
      );
    case 'image':
      return <Chip icon="🖼" label={t('image {name}', { name: text(data.file ?? data.url) })} />;
    case 'record':
      return <Chip icon="🎤" label={t('voice {name}', { name: text(data.file) })} />;
    case 'video':
      return <Chip icon="🎬" label={t('video {name}', { name: text(data.file) })} />;
    case 'file':
      return <Chip icon="📄" label={t('file {name}', { name: text(data.name ?? data.file) })} />;
    case 'forward':
      return <Chip icon="⤴" label={t('forwarded messages {id}', { id: text(data.id) })} />;
    case 'node':
      return (
        <div class="seg-node">
          <strong>{text(data.nickname ?? data.name ?? data.user_id ?? data.uin)}</strong>:{' '}
          {Array.isArray(data.content) ? (
            <Segments segments={data.content as Segment[]} context={context} />
          ) : (
            text(data.content)
          )}
        </div>
      );
    default:
      return <Chip icon="▫" label={`${segment.type}`} />;
  }
}

export function Segments({ segments, context }: { segments: Segment[]; context: SegmentContext }) {
  return (
    <>
      {segments.map((segment, i) => (
        <SegmentView key={i} segment={segment} context={context} />
      ))}
    </>
  );
}
