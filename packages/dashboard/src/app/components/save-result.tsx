import { t } from '../i18n.js';

export interface SaveAnswer {
  saved: boolean;
  adapters: Array<{ name: string; result: string; reason?: string }>;
  restartRequired?: string[];
}

/** The per-adapter outcome of a save, as the server applied it. */
export function SaveResult({ answer }: { answer: SaveAnswer }) {
  return (
    <div class="card" data-testid="save-result" role="status">
      <h2>{t('Saved and applied')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('Adapter')}</th>
            <th scope="col">{t('Result')}</th>
          </tr>
        </thead>
        <tbody>
          {answer.adapters.map((adapter) => (
            <tr key={adapter.name} data-result={adapter.result}>
              <th scope="row">{adapter.name}</th>
              <td>
                <span
                  class={`badge ${adapter.result === 'failed' ? 'bad' : adapter.result === 'unchanged' ? 'off' : 'ok'}`}
                >
                  {t(adapter.result)}
                </span>
                {adapter.reason && <span class="error small"> {adapter.reason}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {answer.restartRequired && answer.restartRequired.length > 0 && (
        <p class="muted">
          {t('Applies on the next start: {keys}', { keys: answer.restartRequired.join(', ') })}
        </p>
      )}
    </div>
  );
}
