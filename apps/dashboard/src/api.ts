import { useCallback, useEffect, useState } from 'preact/hooks';

/** Sent when any answer is a 401: the session ended (expired, or its key was revoked); see session.ts. */
export const SIGNED_OUT_EVENT = 'journeyline:signed-out';

/**
 * Reads from the Journeyline API. Errors keep the server's own message (every API error is JSON
 * with a `message`), so the page can say what went wrong instead of going blank.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type QueryValues = Record<string, string | number | boolean | null | undefined>;

export function apiUrl(path: string, params: QueryValues = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

const cache = new Map<string, { at: number; promise: Promise<unknown> }>();
const FRESH_MS = 60_000;

export function fetchJson<T>(url: string): Promise<T> {
  const hit = cache.get(url);
  if (hit && Date.now() - hit.at < FRESH_MS) return hit.promise as Promise<T>;
  const promise = load<T>(url);
  cache.set(url, { at: Date.now(), promise });
  promise.catch(() => cache.delete(url));
  return promise;
}

async function load<T>(url: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' } });
  } catch {
    throw new ApiError(0, '');
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (response.status === 401) window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
  if (!response.ok) {
    const message = (body as { message?: unknown } | undefined)?.message;
    throw new ApiError(response.status, typeof message === 'string' && message ? message : `${response.status} ${response.statusText}`);
  }
  if (body === undefined) throw new ApiError(response.status, 'the server answered with something that is not JSON');
  return body as T;
}

export function forgetCached(): void {
  cache.clear();
}

export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/** Loads `url` (null: nothing to load yet); a newer url wins over a slower older answer. */
export function useApi<T>(url: string | null): ApiState<T> {
  const [state, setState] = useState<{ url: string | null; data?: T; error?: ApiError }>({ url: null });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (url === null) return;
    let current = true;
    fetchJson<T>(url).then(
      (data) => current && setState({ url, data }),
      (error: unknown) => current && setState({ url, error: error instanceof ApiError ? error : new ApiError(0, String(error)) }),
    );
    return () => {
      current = false;
    };
  }, [url, attempt]);
  const reload = useCallback(() => {
    if (url) cache.delete(url);
    setState({ url: null });
    setAttempt((n) => n + 1);
  }, [url]);
  const settled = state.url === url;
  return { data: settled ? state.data : undefined, error: settled ? state.error : undefined, loading: url !== null && !settled, reload };
}
