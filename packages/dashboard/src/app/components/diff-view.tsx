import { t } from '../i18n.js';
import { diffLines, withContext } from '../diff.js';

export function DiffView({ before, after }: { before: string; after: string }) {
  const lines = withContext(diffLines(before, after));
  if (!lines.some((line) => line.kind === 'added' || line.kind === 'removed'))
    return <p class="muted">{t('No changes.')}</p>;
  return (
    <pre class="diff" data-testid="diff" aria-label={t('Changes to the config file')}>
      {lines.map((line, index) =>
        line.kind === 'gap' ? (
          <div key={index} class="diff-gap">
            …
          </div>
        ) : (
          <div key={index} class={`diff-${line.kind}`}>
            {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
            {line.text}
          </div>
        ),
      )}
    </pre>
  );
}
