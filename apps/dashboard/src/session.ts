import { useCallback, useEffect, useState } from 'preact/hooks';
import { forgetCached, SIGNED_OUT_EVENT } from './api';

/** Who the dashboard is signed in as (the server's GET /api/v1/session). */
export interface Session {
  keyId: string;
  name: string;
  scopes: string[];
}

export type SessionState = { status: 'checking' } | { status: 'signed-in'; session: Session } | { status: 'signed-out'; error?: string };

const CSRF = { 'x-journeyline-request': '1' };

/**
 * Signing in makes a session cookie from a key (POST /api/v1/session); the key itself is never
 * stored by the page. A link from the server's first start carries the key in the address's
 * fragment (#key=...), which browsers never send to a server: it is taken out of the address at
 * once and traded for the cookie.
 */
export function useSession(): { state: SessionState; signIn: (key: string) => Promise<void>; signOut: () => Promise<void> } {
  const [state, setState] = useState<SessionState>({ status: 'checking' });

  const signIn = useCallback(async (key: string) => {
    const response = await fetch('/api/v1/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...CSRF },
      body: JSON.stringify({ key }),
    }).catch(() => null);
    if (!response) return setState({ status: 'signed-out', error: 'unreachable' });
    const body = (await response.json().catch(() => ({}))) as Session & { message?: string };
    if (!response.ok) return setState({ status: 'signed-out', error: response.status === 429 ? 'tooMany' : 'badKey' });
    forgetCached();
    setState({ status: 'signed-in', session: body });
  }, []);

  const signOut = useCallback(async () => {
    await fetch('/api/v1/session', { method: 'DELETE', headers: CSRF }).catch(() => null);
    forgetCached();
    setState({ status: 'signed-out' });
  }, []);

  useEffect(() => {
    const fromLink = /^#key=(.+)$/.exec(window.location.hash);
    if (fromLink) {
      window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
      void signIn(decodeURIComponent(fromLink[1]));
    } else {
      void fetch('/api/v1/session', { headers: { accept: 'application/json' } })
        .then(async (response) =>
          response.ok ? setState({ status: 'signed-in', session: (await response.json()) as Session }) : setState({ status: 'signed-out' }),
        )
        .catch(() => setState({ status: 'signed-out', error: 'unreachable' }));
    }
    const onSignedOut = () => setState({ status: 'signed-out', error: 'ended' });
    window.addEventListener(SIGNED_OUT_EVENT, onSignedOut);
    return () => window.removeEventListener(SIGNED_OUT_EVENT, onSignedOut);
  }, [signIn]);

  return { state, signIn, signOut };
}
