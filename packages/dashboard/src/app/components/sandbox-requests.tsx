import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { usePoll } from '../hooks.js';
import { t } from '../i18n.js';
import type { SandboxWorld } from '../sandbox-types.js';

interface SentRequest {
  flag: string;
  request_type: 'friend' | 'group';
  sub_type?: string;
  user_id: number;
  group_id?: number;
  outcome?: string;
  /** When it was sent (ms): only a pending list asked for after it can say it was answered. */
  sentAt: number;
}

interface PendingAnswer {
  requests: Array<{ flag: string }>;
}

/** The sandbox's pending requests, and when they were asked for. */
async function loadPending(): Promise<{ flags: Set<string>; askedAt: number }> {
  const askedAt = Date.now();
  const answer = await api<PendingAnswer>('/api/sandbox/requests');
  return { flags: new Set(answer.requests.map((request) => request.flag)), askedAt };
}

/** Send friend and group requests as someone else, then handle them as the bot (the same actions a bot calls). */
export function SandboxRequests({ world, onHandled }: { world: SandboxWorld; onHandled: () => void }) {
  const [type, setType] = useState<'friend' | 'group'>('friend');
  const [userId, setUserId] = useState('');
  const [groupId, setGroupId] = useState(String(world.groups[0]?.group_id ?? ''));
  const [comment, setComment] = useState('');
  const [sent, setSent] = useState<SentRequest[]>([]);
  const [error, setError] = useState('');
  // A bot may answer through an adapter: a request that left the pending list shows as handled.
  const pending = usePoll(loadPending, 2000);
  const handledElsewhere = (request: SentRequest) =>
    pending.data !== undefined &&
    pending.data.askedAt > request.sentAt &&
    !pending.data.flags.has(request.flag);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError('');
    try {
      const body = {
        request_type: type,
        user_id: Number(userId),
        comment,
        ...(type === 'group' ? { group_id: Number(groupId), sub_type: 'add' } : {}),
      };
      const sentAt = Date.now();
      const answer = await api<{ flag: string }>('/api/sandbox/requests', { method: 'POST', body });
      setSent((old) => [{ ...body, flag: answer.flag, sentAt } as SentRequest, ...old].slice(0, 20));
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  const handle = async (request: SentRequest, approve: boolean) => {
    const action = request.request_type === 'friend' ? 'set_friend_add_request' : 'set_group_add_request';
    const params =
      request.request_type === 'friend'
        ? { flag: request.flag, approve }
        : { flag: request.flag, sub_type: request.sub_type ?? 'add', approve };
    const answer = await api<{ retcode: number; message?: string; wording?: string }>(
      `/api/actions/${action}`,
      {
        method: 'POST',
        body: params,
      },
    );
    const outcome =
      answer.retcode === 0
        ? approve
          ? t('approved')
          : t('rejected')
        : `retcode ${answer.retcode} ${answer.wording ?? answer.message ?? ''}`;
    setSent((old) => old.map((item) => (item.flag === request.flag ? { ...item, outcome } : item)));
    onHandled();
  };

  return (
    <div class="card">
      <h2>{t('Requests')}</h2>
      <form class="toolbar" onSubmit={submit}>
        <label>
          {t('Request type')}
          <select
            value={type}
            onChange={(event) => setType((event.target as HTMLSelectElement).value as 'friend' | 'group')}
          >
            <option value="friend">{t('friend')}</option>
            <option value="group">{t('group')}</option>
          </select>
        </label>
        <label>
          {t('From user')}
          <input
            inputMode="numeric"
            required
            value={userId}
            size={10}
            onInput={(event) => setUserId((event.target as HTMLInputElement).value)}
          />
        </label>
        {type === 'group' && (
          <label>
            {t('Group')}
            <input
              inputMode="numeric"
              required
              value={groupId}
              size={10}
              onInput={(event) => setGroupId((event.target as HTMLInputElement).value)}
            />
          </label>
        )}
        <label>
          {t('Comment')}
          <input value={comment} onInput={(event) => setComment((event.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">{t('Send request')}</button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <ul class="plain">
        {sent.map((request) => (
          <li key={request.flag} data-flag={request.flag}>
            {request.request_type} · {request.user_id}
            {request.group_id ? ` → ${request.group_id}` : ''} ·{' '}
            <span class="mono small">{request.flag}</span>{' '}
            {request.outcome ? (
              <strong>{request.outcome}</strong>
            ) : handledElsewhere(request) ? (
              <strong data-handled-by="bot">{t('handled by a bot')}</strong>
            ) : (
              <>
                <button type="button" onClick={() => void handle(request, true)}>
                  {t('Approve as bot')}
                </button>
                <button type="button" onClick={() => void handle(request, false)}>
                  {t('Reject as bot')}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
