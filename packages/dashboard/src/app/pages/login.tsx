import { useState } from 'preact/hooks';
import { checkSession, setToken } from '../api.js';
import { t } from '../i18n.js';

/** Shown when the admin API asks for `gateway.admin.token`. */
export function LoginPage({ onLoggedIn }: { onLoggedIn: () => void }) {
  const [candidate, setCandidate] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const session = await checkSession(candidate);
      if (session.authenticated) {
        setToken(candidate);
        onLoggedIn();
      } else if (session.error)
        setError(`${t('Too many wrong tokens: wait and try again.')} (${session.error})`);
      else setError(t('The token is wrong.'));
    } catch {
      setError(t('The admin API cannot be reached.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card login" onSubmit={submit}>
      <h1>{t('Log in')}</h1>
      <p class="muted">{t('This gateway asks for its admin token (gateway.admin.token).')}</p>
      <label for="token">{t('Admin token')}</label>
      <input
        id="token"
        type="password"
        autocomplete="current-password"
        value={candidate}
        onInput={(event) => setCandidate((event.target as HTMLInputElement).value)}
        required
      />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {t('Log in')}
      </button>
    </form>
  );
}
