import { zhCN } from './i18n-zh.js';

export type Language = 'en' | 'zh-CN';
const LANGUAGE_KEY = 'onebot-gateway.language';

function fromBrowser(): Language {
  const saved = localStorage.getItem(LANGUAGE_KEY);
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return navigator.languages.some((tag) => tag.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
}

let current: Language = fromBrowser();
document.documentElement.lang = current;

export function language(): Language {
  return current;
}

/** The switch: remembered in this browser, over the browser's own preference. */
export function setLanguage(next: Language): void {
  current = next;
  localStorage.setItem(LANGUAGE_KEY, next);
  document.documentElement.lang = next;
}

/**
 * English text is the key: a string missing from the Chinese table shows in
 * English rather than as a key name. `{name}` is replaced by `values.name`.
 */
export function t(text: string, values: Record<string, string | number> = {}): string {
  const template = current === 'zh-CN' ? (zhCN[text] ?? text) : text;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    values[name] === undefined ? whole : String(values[name]),
  );
}
