import { language } from './i18n.js';

/**
 * The texts that come from the gateway's schema (field and action descriptions) in the picked
 * language. They are not the app's own strings (i18n-zh.ts): the gateway owns them and there are
 * a few hundred, so the Chinese table is loaded on demand, as its own chunk, only once Chinese is
 * picked; an English page never downloads it.
 */
let zhTable: Record<string, string> | undefined;
let zhLoading: Promise<void> | undefined;

/** Resolves once the picked language's schema texts are here; never rejects (English is the fallback). */
export function loadSchemaTexts(): Promise<void> {
  if (language() !== 'zh-CN') return Promise.resolve();
  zhLoading ??= import('./schema-text-zh.js').then(
    (module) => {
      zhTable = module.schemaTextZhCN;
    },
    () => {
      // A chunk that failed to load (a gateway upgraded under an open tab): English now, retried next time.
      zhLoading = undefined;
    },
  );
  return zhLoading;
}

/** A schema description in the picked language; the English text when the table has none for it. */
export function schemaText(english: string): string {
  return language() === 'zh-CN' ? (zhTable?.[english] ?? english) : english;
}
