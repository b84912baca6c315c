import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import { usePoll, useStream } from '../hooks.js';
import { t } from '../i18n.js';
import type { OneBotEvent } from '../types.js';
import type { ChatMessage, Conversation, SandboxWorld } from '../sandbox-types.js';
import { Segments } from '../components/segments.js';
import { SandboxRequests } from '../components/sandbox-requests.js';
import { Composer } from '../components/composer.js';

function sameConversation(event: OneBotEvent, chat: Conversation): boolean {
  if (chat.type === 'group') return event.group_id === chat.groupId;
  return (
    event.message_type === 'private' && (event.user_id === chat.userId || event.target_id === chat.userId)
  );
}

function conversationPath(chat: Conversation): string {
  return chat.type === 'group'
    ? `/api/sandbox/messages?message_type=group&group_id=${chat.groupId}`
    : `/api/sandbox/messages?message_type=private&user_id=${chat.userId}`;
}

export function SandboxPage() {
  const world = usePoll(() => api<SandboxWorld>('/api/sandbox/world'), 10_000);
  const [chat, setChat] = useState<Conversation | undefined>();
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [error, setError] = useState('');
  const list = useRef<HTMLOListElement>(null);
  // The newest message in view, as in any chat.
  useEffect(() => {
    if (list.current) list.current.scrollTop = list.current.scrollHeight;
  }, [messages]);

  const load = useCallback(async (current: Conversation) => {
    try {
      const answer = await api<{ messages: ChatMessage[] }>(conversationPath(current));
      setMessages(answer.messages);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }, []);

  useEffect(() => {
    if (!chat && world.data?.groups[0]) setChat({ type: 'group', groupId: world.data.groups[0].group_id });
  }, [world.data, chat]);
  useEffect(() => {
    if (chat) void load(chat);
  }, [chat, load]);

  useStream('/api/events?format=array', (batch) => {
    let reloadChat = false;
    let reloadWorld = false;
    for (const frame of batch) {
      const event = JSON.parse(frame.data) as OneBotEvent;
      if (
        chat &&
        (event.post_type === 'message' || event.post_type === 'message_sent' || event.post_type === 'notice')
      )
        reloadChat ||= sameConversation(event, chat) || event.notice_type === 'friend_recall';
      if (event.post_type === 'notice') reloadWorld = true;
    }
    if (reloadChat && chat) void load(chat);
    if (reloadWorld) world.reload();
  });

  if (world.error && !world.data) {
    return (
      <section>
        <h1>{t('Sandbox chat')}</h1>
        <p class="error">{world.error}</p>
        <p class="muted">{t('The sandbox chat needs gateway.backend.type "sandbox".')}</p>
      </section>
    );
  }
  if (!world.data) return <p class="muted">{t('Loading…')}</p>;
  const data = world.data;
  const nameOf = (userId: number | string) => {
    const id = Number(userId);
    if (id === data.self.user_id) return data.self.nickname;
    const friend = data.friends.find((candidate) => candidate.user_id === id);
    if (friend) return friend.remark || friend.nickname;
    for (const group of data.groups)
      for (const member of group.members) if (member.user_id === id) return member.card || member.nickname;
    return String(userId);
  };
  const context = {
    nameOf,
    quoteOf: (id: number | string) =>
      messages.find((message) => message.message_id === Number(id))?.raw_message,
  };
  const group =
    chat?.type === 'group' ? data.groups.find((candidate) => candidate.group_id === chat.groupId) : undefined;
  const title = chat ? (group ? group.group_name : nameOf(chat.type === 'private' ? chat.userId : 0)) : '';

  const recall = async (message: ChatMessage) => {
    setError('');
    try {
      if (message.user_id === data.self.user_id)
        await api('/api/actions/delete_msg', { method: 'POST', body: { message_id: message.message_id } });
      else await api('/api/sandbox/recall', { method: 'POST', body: { message_id: message.message_id } });
      if (chat) await load(chat);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    }
  };

  return (
    <section aria-labelledby="sandbox-title" class="sandbox">
      <h1 id="sandbox-title">{t('Sandbox chat')}</h1>
      <div class="chat-layout">
        <nav class="card contacts" aria-label={t('Contacts')}>
          <h2>{t('Groups')}</h2>
          <ul>
            {data.groups.map((candidate) => (
              <li key={candidate.group_id}>
                <button
                  type="button"
                  aria-current={
                    chat?.type === 'group' && chat.groupId === candidate.group_id ? 'true' : undefined
                  }
                  onClick={() => setChat({ type: 'group', groupId: candidate.group_id })}
                >
                  {candidate.group_name} <span class="muted">({candidate.group_id})</span>
                </button>
                <ul class="members">
                  {candidate.members.map((member) => (
                    <li key={member.user_id} class="small">
                      {member.card || member.nickname} <span class="tag">{t(member.role)}</span>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
          <h2>{t('Friends')}</h2>
          <ul>
            {data.friends.map((friend) => (
              <li key={friend.user_id}>
                <button
                  type="button"
                  aria-current={
                    chat?.type === 'private' && chat.userId === friend.user_id ? 'true' : undefined
                  }
                  onClick={() => setChat({ type: 'private', userId: friend.user_id })}
                >
                  {friend.remark || friend.nickname} <span class="muted">({friend.user_id})</span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div class="card conversation">
          <h2>{title}</h2>
          <ol ref={list} class="messages" aria-live="polite" aria-label={t('Messages')}>
            {messages.map((message) => {
              const mine = message.user_id === data.self.user_id;
              return (
                <li
                  key={message.message_id}
                  class={`message${mine ? ' mine' : ''}`}
                  data-message-id={message.message_id}
                >
                  <div class="small muted">
                    {nameOf(message.user_id)} · {new Date(message.time * 1000).toLocaleTimeString()}
                    <button type="button" class="link" onClick={() => void recall(message)}>
                      {t('Recall')}
                    </button>
                  </div>
                  <div class="bubble">
                    <Segments segments={message.message} context={context} />
                  </div>
                </li>
              );
            })}
          </ol>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          {chat && <Composer chat={chat} world={data} onSent={() => void load(chat)} onError={setError} />}
        </div>
      </div>
      <SandboxRequests world={data} onHandled={world.reload} />
    </section>
  );
}
