import { useEffect, useRef, useState } from 'preact/hooks';
import { checkSession, hasToken, onAuthRequired, setToken } from './api.js';
import { language, setLanguage, t, type Language } from './i18n.js';
import { LoginPage } from './pages/login.js';
import { OverviewPage } from './pages/overview.js';
import { onAdaptersAnswer, startTrafficSampler, stopTrafficSampler } from './traffic.js';
import { NetworkPage } from './pages/network.js';
import { SandboxPage } from './pages/sandbox.js';
import { EventsPage } from './pages/events.js';
import { ActionsPage } from './pages/actions.js';
import { LogsPage } from './pages/logs.js';
import { navigate, usePath } from './router.js';

const PAGES = [
  { path: '/', label: 'Overview', view: OverviewPage },
  { path: '/network', label: 'Network', view: NetworkPage },
  // Only on the sandbox backend: a relay has no simulated world to chat in.
  { path: '/sandbox', label: 'Sandbox chat', view: SandboxPage, sandboxOnly: true },
  { path: '/events', label: 'Events', view: EventsPage },
  { path: '/actions', label: 'Actions', view: ActionsPage },
  { path: '/logs', label: 'Logs', view: LogsPage },
] as const;

type AuthState = 'checking' | 'login' | 'ready' | 'unreachable';

// Asked as the script loads, not after the first paint (when effects run): it is on the first view's path.
const firstSession = checkSession();

export function App() {
  const [auth, setAuth] = useState<AuthState>('checking');
  const [lang, setLang] = useState<Language>(language());
  // From the sampler's /api/adapters answers; unknown until the first one lands.
  const [backendType, setBackendType] = useState<string | undefined>();
  const path = usePath();

  useEffect(() => {
    const stop = onAuthRequired(() => setAuth('login'));
    firstSession
      .then((session) => setAuth(session.authenticated ? 'ready' : 'login'))
      .catch(() => setAuth('unreachable'));
    return stop;
  }, []);

  useEffect(() => onAdaptersAnswer((answer) => setBackendType(answer.backend.type)), []);

  // The sampler runs only while logged in: a tab left on the login page sends no token in the background.
  useEffect(() => {
    if (auth === 'ready') startTrafficSampler();
    else stopTrafficSampler();
  }, [auth]);

  const switchLanguage = (next: Language) => {
    setLanguage(next);
    setLang(next);
  };
  const page = PAGES.find((candidate) => candidate.path === path) ?? PAGES[0];
  const Page = page.view;

  // After a page change, focus goes to the page itself (not left on the link), so the next Tab is
  // inside it and a screen reader reads where it landed; the first view keeps the browser's focus.
  const main = useRef<HTMLElement>(null);
  const shownPath = useRef(page.path);
  useEffect(() => {
    document.title = `${t(page.label)} · OneBot Gateway`;
    if (shownPath.current === page.path) return;
    shownPath.current = page.path;
    main.current?.focus();
  }, [page.path, lang]);

  return (
    <div class="shell" key={lang}>
      <a class="skip-link" href="#main">
        {t('Skip to content')}
      </a>
      <header class="topbar">
        <a
          class="brand"
          href="/"
          onClick={(event) => {
            event.preventDefault();
            navigate('/');
          }}
        >
          OneBot Gateway
        </a>
        {auth === 'ready' && (
          <nav aria-label={t('Pages')}>
            {PAGES.filter((item) => !('sandboxOnly' in item) || backendType === 'sandbox').map((item) => (
              <a
                key={item.path}
                href={item.path}
                aria-current={item.path === page.path ? 'page' : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(item.path);
                }}
              >
                {t(item.label)}
              </a>
            ))}
          </nav>
        )}
        <div class="topbar-tools">
          <label class="visually-hidden" for="language">
            {t('Language')}
          </label>
          <select
            id="language"
            value={lang}
            onChange={(event) => switchLanguage((event.target as HTMLSelectElement).value as Language)}
          >
            <option value="zh-CN">中文</option>
            <option value="en">English</option>
          </select>
          {auth === 'ready' && hasToken() && (
            <button
              type="button"
              onClick={() => {
                setToken('');
                setAuth('login');
              }}
            >
              {t('Log out')}
            </button>
          )}
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {auth === 'checking' && <p class="muted">{t('Loading…')}</p>}
        {auth === 'unreachable' && <p class="error">{t('The admin API cannot be reached.')}</p>}
        {auth === 'login' && <LoginPage onLoggedIn={() => setAuth('ready')} />}
        {auth === 'ready' && <Page />}
      </main>
    </div>
  );
}
