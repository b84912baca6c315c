import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import { usePoll } from '../hooks.js';
import { t } from '../i18n.js';
import { loadSchema } from '../schema-store.js';
import type { JsonSchema } from '../schema.js';
import type { AdaptersAnswer } from '../types.js';
import {
  allNames,
  duplicate,
  kindsOf,
  localProblems,
  newEntry,
  type ConfigFile,
  type Entry,
  type Kind,
} from '../network-model.js';
import { AdapterCard } from '../components/adapter-card.js';
import { DiffView } from '../components/diff-view.js';
import { SaveResult, type SaveAnswer } from '../components/save-result.js';

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

// Titles of the kinds this page knows; a kind the schema adds later shows under its key.
const KIND_TITLES: Record<Kind, string> = {
  httpServers: 'HTTP servers',
  httpSseServers: 'HTTP SSE servers',
  websocketServers: 'WebSocket servers',
  httpClients: 'HTTP clients (reverse HTTP)',
  websocketClients: 'WebSocket clients (reverse WebSocket)',
  plugins: 'Plugins',
  natsBridges: 'NATS bridges',
};

export function NetworkPage() {
  const status = usePoll(() => api<AdaptersAnswer>('/api/adapters'), 3000);
  const [schema, setSchema] = useState<JsonSchema | undefined>();
  const [schemaError, setSchemaError] = useState('');
  const [saved, setSaved] = useState<ConfigFile | undefined>();
  const [draft, setDraft] = useState<ConfigFile | undefined>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [reviewing, setReviewing] = useState(false);
  const [result, setResult] = useState<SaveAnswer | undefined>();
  const [message, setMessage] = useState('');

  const reload = async () => {
    const file = await api<ConfigFile>('/api/config');
    setSaved(file);
    setDraft(structuredClone(file));
    setErrors({});
  };
  useEffect(() => {
    reload().catch((error: unknown) => setMessage((error as Error).message));
    // The forms, defaults, secrets and kinds all come from the served schema: without it there is no form.
    loadSchema().then(
      (answer) =>
        answer ? setSchema(answer.config) : setSchemaError(t('This gateway does not serve GET /api/schema.')),
      (error: unknown) => setSchemaError((error as Error).message),
    );
  }, []);

  if (schemaError)
    return <p class="error">{t('Cannot load the config schema: {why}', { why: schemaError })}</p>;
  if (!draft || !saved || !schema)
    return <p class={message ? 'error' : 'muted'}>{message || t('Loading…')}</p>;
  const entries = (kind: Kind): Entry[] => {
    const list = draft.network?.[kind];
    return Array.isArray(list) ? list : [];
  };
  const update = (kind: Kind, change: (list: Entry[]) => Entry[]) => {
    setDraft({ ...draft, network: { ...draft.network, [kind]: change([...entries(kind)]) } });
    setReviewing(false);
    setResult(undefined);
  };

  const review = () => {
    const problems = localProblems(draft, schema);
    setErrors(problems);
    setMessage(Object.keys(problems).length ? t('Fix the marked fields first.') : '');
    setReviewing(Object.keys(problems).length === 0);
  };
  const save = async () => {
    setMessage('');
    try {
      const answer = await api<SaveAnswer>('/api/config', { method: 'PUT', body: draft });
      setResult(answer);
      setReviewing(false);
      await reload();
      status.reload();
    } catch (error) {
      const body =
        error instanceof ApiError
          ? (error.body as { problems?: Array<{ path: string; message: string }> })
          : undefined;
      const problems = Object.fromEntries(
        (body?.problems ?? []).map((problem) => [problem.path, problem.message]),
      );
      setErrors(problems);
      setReviewing(false);
      setMessage((error as Error).message);
    }
  };
  const importFile = async (file: File) => {
    try {
      const parsed = JSON.parse(await file.text()) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error(t('not a config object'));
      const imported = parsed as ConfigFile;
      // A NapCat file has no gateway section: saving it as it is would drop the backend and the admin token
      // (the tab would then be locked out), so the running one stays, and the message says so.
      if (!('gateway' in imported) && saved.gateway !== undefined) {
        setDraft({ ...imported, gateway: structuredClone(saved.gateway) });
        setMessage(
          t(
            'Imported {name}: it has no gateway section, so the current one (backend, admin token) is kept. Review and save to apply it.',
            { name: file.name },
          ),
        );
        return;
      }
      setDraft(imported);
      setMessage(t('Imported {name}: review and save to apply it.', { name: file.name }));
    } catch (error) {
      setMessage(t('Cannot import {name}: {why}', { name: file.name, why: (error as Error).message }));
    }
  };
  const exportFile = () => {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([pretty(draft)], { type: 'application/json' }));
    link.download = 'onebot11.json';
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  };
  const reports = status.data?.adapters ?? [];

  return (
    <section aria-labelledby="network-title">
      <h1 id="network-title">{t('Network')}</h1>
      <div class="toolbar">
        <button type="button" class="primary" onClick={review}>
          {t('Review and save')}
        </button>
        <button type="button" onClick={() => void reload()}>
          {t('Discard changes')}
        </button>
        <label class="button">
          {t('Import')}
          <input
            type="file"
            accept=".json,application/json"
            class="visually-hidden"
            onChange={(e) => {
              const file = (e.target as HTMLInputElement).files?.[0];
              if (file) void importFile(file);
            }}
          />
        </label>
        <button type="button" onClick={exportFile}>
          {t('Export')}
        </button>
      </div>
      <p class="muted small">
        {t('Exported files keep secrets masked (********): on import they mean "keep the current one".')}
      </p>
      {message && (
        <p class={Object.keys(errors).length ? 'error' : 'muted'} role="status">
          {message}
        </p>
      )}
      {Object.keys(errors).length > 0 && (
        <ul class="error small" data-testid="problems">
          {Object.entries(errors).map(([path, why]) => (
            <li key={path}>
              <span class="mono">{path}</span>: {why}
            </li>
          ))}
        </ul>
      )}
      {reviewing && (
        <div class="card" data-testid="review">
          <h2>{t('Changes')}</h2>
          <DiffView before={pretty(saved)} after={pretty(draft)} />
          <div class="toolbar">
            <button type="button" class="primary" onClick={() => void save()}>
              {t('Save')}
            </button>
            <button type="button" onClick={() => setReviewing(false)}>
              {t('Cancel')}
            </button>
          </div>
        </div>
      )}
      {result && <SaveResult answer={result} />}
      {kindsOf(schema).map((kind) => (
        <div key={kind} class="kind-group">
          <div class="card-head">
            <h2>
              {t(KIND_TITLES[kind] ?? kind)} <span class="muted small mono">{kind}</span>
            </h2>
            <button
              type="button"
              onClick={() => update(kind, (list) => [...list, newEntry(kind, schema, allNames(draft))])}
            >
              {t('Add')}
            </button>
          </div>
          <div class="grid">
            {entries(kind).map((entry, index) => (
              <AdapterCard
                key={`${kind}-${index}`}
                kind={kind}
                entry={entry}
                path={`network.${kind}[${index}]`}
                report={reports.find((report) => report.name === entry.name && report.kind === kind)}
                schema={schema}
                errors={errors}
                onChange={(next) => update(kind, (list) => list.map((old, i) => (i === index ? next : old)))}
                onDuplicate={() => update(kind, (list) => [...list, duplicate(entry, allNames(draft))])}
                onDelete={() => update(kind, (list) => list.filter((_, i) => i !== index))}
              />
            ))}
          </div>
        </div>
      ))}
    </section>
  );
}
