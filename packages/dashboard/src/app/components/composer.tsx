import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { t } from '../i18n.js';
import type { Conversation, SandboxWorld } from '../sandbox-types.js';

/** Type as the other side: any member of the group, or the friend of the private chat. */
export function Composer({
  chat,
  world,
  onSent,
  onError,
}: {
  chat: Conversation;
  world: SandboxWorld;
  onSent: () => void;
  onError: (message: string) => void;
}) {
  const group =
    chat.type === 'group' ? world.groups.find((candidate) => candidate.group_id === chat.groupId) : undefined;
  const speakers =
    chat.type === 'group'
      ? (group?.members ?? [])
          .filter((member) => member.user_id !== world.self.user_id)
          .map((member) => ({ id: member.user_id, name: member.card || member.nickname }))
      : [
          {
            id: chat.userId,
            name:
              world.friends.find((friend) => friend.user_id === chat.userId)?.nickname ?? String(chat.userId),
          },
        ];
  const [speaker, setSpeaker] = useState<number | undefined>();
  const [text, setText] = useState('');
  const from = speakers.some((candidate) => candidate.id === speaker) ? speaker : speakers[0]?.id;

  const send = async (event: Event) => {
    event.preventDefault();
    if (text.trim() === '' || from === undefined) return;
    try {
      await api('/api/sandbox/messages', {
        method: 'POST',
        body: {
          message_type: chat.type,
          user_id: from,
          ...(chat.type === 'group' ? { group_id: chat.groupId } : {}),
          message: text,
        },
      });
      setText('');
      onError('');
      onSent();
    } catch (failure) {
      onError((failure as Error).message);
    }
  };

  return (
    <form class="composer" onSubmit={send}>
      <label>
        {t('Speak as')}
        <select
          name="speaker"
          value={String(from ?? '')}
          onChange={(event) => setSpeaker(Number((event.target as HTMLSelectElement).value))}
        >
          {speakers.map((candidate) => (
            <option key={candidate.id} value={String(candidate.id)}>
              {candidate.name} ({candidate.id})
            </option>
          ))}
        </select>
      </label>
      <label class="grow">
        <span class="visually-hidden">{t('Message')}</span>
        <input
          name="message"
          value={text}
          placeholder={t('Message (CQ codes allowed)')}
          onInput={(event) => setText((event.target as HTMLInputElement).value)}
        />
      </label>
      <button type="submit" class="primary">
        {t('Send')}
      </button>
    </form>
  );
}
