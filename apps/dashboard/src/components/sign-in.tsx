import { useState } from 'preact/hooks';
import type { MessageKey } from '../i18n';
import { useView } from '../view';

/** The sign-in form: an API key (any scope that reads), traded for a session cookie. */
export function SignIn({ onSignIn, error }: { onSignIn: (key: string) => Promise<void>; error?: string }) {
  const { t } = useView();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <section class="card sign-in">
      <h1>{t('signIn.title')}</h1>
      <p>{t('signIn.text')}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!key.trim() || busy) return;
          setBusy(true);
          void onSignIn(key.trim()).finally(() => {
            setBusy(false);
            setKey('');
          });
        }}
      >
        <label>
          {t('signIn.key')}
          <input
            type="password"
            name="key"
            autoComplete="off"
            spellcheck={false}
            value={key}
            onInput={(e) => setKey((e.target as HTMLInputElement).value)}
            required
          />
        </label>
        <button type="submit" disabled={busy}>
          {t('signIn.submit')}
        </button>
      </form>
      {error && (
        <p class="state error" role="alert">
          {t(`signIn.${error}` as MessageKey)}
        </p>
      )}
    </section>
  );
}
