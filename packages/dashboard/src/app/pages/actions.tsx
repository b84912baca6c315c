import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { explainRetcode } from '../retcodes.js';
import { loadSchema } from '../schema-store.js';
import { schemaText } from '../schema-text.js';
import type { ApiSchema } from '../schema.js';
import { SchemaFields } from '../components/schema-form.js';

interface Call {
  at: number;
  action: string;
  params: Record<string, unknown>;
  answer: { status?: string; retcode?: number; data?: unknown; message?: string; wording?: string };
}

// Kept across page changes, newest first.
const history: Call[] = [];
const MAX_HISTORY = 50;

function curlOf(action: string, params: object): string {
  const body = JSON.stringify(params).replace(/'/g, `'\\''`);
  return `curl -s -X POST '${location.origin}/api/actions/${action}' -H 'content-type: application/json' -H 'Authorization: Bearer <admin token>' -d '${body}'`;
}

const frameOf = (action: string, params: object) => JSON.stringify({ action, params, echo: 'dashboard' });

export function ActionsPage() {
  const [schema, setSchema] = useState<ApiSchema | undefined | null>(null);
  const [search, setSearch] = useState('');
  const [action, setAction] = useState('send_private_msg');
  const [params, setParams] = useState<Record<string, unknown>>({});
  const [raw, setRaw] = useState('{}');
  const [asJson, setAsJson] = useState(false);
  const [error, setError] = useState('');
  const [last, setLast] = useState<Call | undefined>(history[0]);
  const [copied, setCopied] = useState('');

  useEffect(() => {
    loadSchema().then(setSchema, (failure: unknown) => {
      setSchema(undefined);
      setError((failure as Error).message);
    });
  }, []);
  const names = useMemo(() => Object.keys(schema?.actions ?? {}).sort(), [schema]);
  const shown = names.filter((name) => name.includes(search.trim().toLowerCase()));
  const spec = schema?.actions[action];
  const formMode = !asJson && !!spec?.params;

  const pick = (name: string) => {
    setAction(name);
    setParams({});
    setRaw('{}');
    setError('');
  };
  // The params carry over between the form and the JSON text.
  const switchMode = (json: boolean) => {
    if (json) setRaw(JSON.stringify(params, null, 2));
    else {
      try {
        const parsed = JSON.parse(raw || '{}') as unknown;
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
          setParams(parsed as Record<string, unknown>);
      } catch {
        // text that is not JSON: the form keeps what it had
      }
    }
    setAsJson(json);
  };
  const currentParams = (): Record<string, unknown> | undefined => {
    if (formMode) return params;
    try {
      const parsed = JSON.parse(raw || '{}') as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // reported below
    }
    setError(t('The params must be a JSON object.'));
    return undefined;
  };

  const send = async (event: Event) => {
    event.preventDefault();
    setError('');
    const body = currentParams();
    if (!body || action.trim() === '') return;
    try {
      const answer = await api<Call['answer']>(`/api/actions/${encodeURIComponent(action.trim())}`, {
        method: 'POST',
        body,
      });
      const call = { at: Date.now(), action: action.trim(), params: body, answer };
      history.unshift(call);
      history.splice(MAX_HISTORY);
      setLast(call);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  const copy = async (what: 'curl' | 'frame') => {
    const body = currentParams();
    if (!body) return;
    const text = what === 'curl' ? curlOf(action, body) : frameOf(action, body);
    setCopied(text);
    await navigator.clipboard?.writeText(text).catch(() => undefined);
  };

  return (
    <section aria-labelledby="actions-title">
      <h1 id="actions-title">{t('Actions')}</h1>
      <div class="split actions-split">
        <div class="card action-list">
          <label for="action-search">{t('Search actions')}</label>
          <input
            id="action-search"
            type="search"
            value={search}
            onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
          />
          {schema === undefined && (
            <p class="muted small">
              {t('This gateway has no /api/schema: type the action and its params as JSON.')}
            </p>
          )}
          <ul class="plain scroll">
            {shown.map((name) => (
              <li key={name}>
                <button
                  type="button"
                  class="link"
                  aria-current={name === action ? 'true' : undefined}
                  onClick={() => pick(name)}
                >
                  {name}
                </button>
              </li>
            ))}
          </ul>
        </div>
        <form class="card" onSubmit={send}>
          <label for="action-name">{t('Action')}</label>
          <input
            id="action-name"
            class="mono"
            value={action}
            onInput={(e) => pick((e.target as HTMLInputElement).value)}
          />
          {spec?.description && <p class="muted">{schemaText(spec.description)}</p>}
          {spec?.params && (
            <label class="inline">
              <input
                type="checkbox"
                checked={asJson}
                onChange={(e) => switchMode((e.target as HTMLInputElement).checked)}
              />{' '}
              {t('Edit params as JSON')}
            </label>
          )}
          {formMode && spec?.params ? (
            <SchemaFields
              schema={spec.params}
              root={spec.params}
              value={params}
              path=""
              errors={{}}
              onChange={setParams}
            />
          ) : (
            <>
              <label for="action-params">{t('Params (JSON)')}</label>
              <textarea
                id="action-params"
                class="mono"
                rows={6}
                value={raw}
                onInput={(e) => setRaw((e.target as HTMLTextAreaElement).value)}
              />
            </>
          )}
          <div class="toolbar">
            <button type="submit" class="primary">
              {t('Send')}
            </button>
            <button type="button" onClick={() => void copy('curl')}>
              {t('Copy as curl')}
            </button>
            <button type="button" onClick={() => void copy('frame')}>
              {t('Copy as WebSocket frame')}
            </button>
          </div>
          {copied && (
            <pre class="small" data-testid="copied">
              {copied}
            </pre>
          )}
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          {last && (
            <div data-testid="action-answer">
              <h2>{t('Answer')}</h2>
              <p>
                <span class={`badge ${last.answer.retcode === 0 ? 'ok' : 'bad'}`}>{last.answer.status}</span>{' '}
                {explainRetcode(Number(last.answer.retcode))}
              </p>
              <pre>{JSON.stringify(last.answer, null, 2)}</pre>
            </div>
          )}
        </form>
      </div>
      <h2>{t('History')}</h2>
      <ul class="plain">
        {history.map((call) => (
          <li key={call.at}>
            <button
              type="button"
              class="link"
              onClick={() => {
                setAction(call.action);
                setParams(call.params);
                setRaw(JSON.stringify(call.params, null, 2));
                setLast(call);
              }}
            >
              {new Date(call.at).toLocaleTimeString()} · <span class="mono">{call.action}</span> · retcode{' '}
              {String(call.answer.retcode)}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
