import { useState } from 'preact/hooks';
import { api } from '../api.js';
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
      return <Forward id={text(data.id)} context={context} />;
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

interface ForwardNode {
  sender?: { nickname?: string; user_id?: number };
  message?: Segment[];
}

/** A forward message opens in place: its nodes come from get_forward_msg, as a bot would read them. */
function Forward({ id, context }: { id: string; context: SegmentContext }) {
  const [nodes, setNodes] = useState<ForwardNode[] | undefined>();
  const [error, setError] = useState('');
  const open = async () => {
    const answer = await api<{ retcode: number; data?: { messages?: ForwardNode[] }; message?: string }>(
      '/api/actions/get_forward_msg',
      { method: 'POST', body: { id } },
    ).catch((failure: Error) => ({ retcode: -1, message: failure.message, data: undefined }));
    if (answer.retcode === 0) setNodes(answer.data?.messages ?? []);
    else setError(answer.message ?? `retcode ${answer.retcode}`);
  };
  if (!nodes)
    return (
      <span class="chip">
        <button type="button" class="link" onClick={() => void open()}>
          ⤴ {t('forwarded messages {id}', { id })}
        </button>
        {error && <span class="error small"> {error}</span>}
      </span>
    );
  return (
    <div class="seg-forward" aria-label={t('forwarded messages {id}', { id })}>
      {nodes.map((node, index) => (
        <div key={index} class="seg-node">
          <strong>{node.sender?.nickname ?? String(node.sender?.user_id ?? '')}</strong>:{' '}
          <Segments segments={node.message ?? []} context={context} />
        </div>
      ))}
    </div>
  );
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
