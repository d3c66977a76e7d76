import { useEffect, useState } from 'preact/hooks';

/**
 * The URL is the dashboard's state: the page is the path, and the language, time zone, period
 * and every filter are query parameters, so any view can be shared as a link. Navigation uses
 * the History API; the server answers every such path with the page.
 */
export interface Route {
  path: string;
  params: URLSearchParams;
  hash: string;
}

/** Parameters that follow the user from page to page. */
export const GLOBAL_PARAMS = ['lang', 'tz', 'window'] as const;

const listeners = new Set<() => void>();

export function currentRoute(): Route {
  return { path: location.pathname.replace(/\/+$/, '') || '/', params: new URLSearchParams(location.search), hash: decodeURIComponent(location.hash.slice(1)) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return route;
}

export function navigate(url: string, options: { replace?: boolean } = {}): void {
  if (url === location.pathname + location.search + location.hash) return;
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  const hashOnly = url.startsWith('#');
  if (!hashOnly && !options.replace) scrollTo({ top: 0 });
  for (const listener of listeners) listener();
}

type ParamValues = Record<string, string | number | boolean | null | undefined>;

function query(params: URLSearchParams): string {
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A link to `path` that keeps the global parameters of the current URL. */
export function href(path: string, params: ParamValues = {}, hash?: string): string {
  const current = new URLSearchParams(location.search);
  const next = new URLSearchParams();
  for (const name of GLOBAL_PARAMS) {
    const value = current.get(name);
    if (value) next.set(name, value);
  }
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') next.delete(name);
    else next.set(name, String(value));
  }
  return `${path}${query(next)}${hash ? `#${encodeURIComponent(hash)}` : ''}`;
}

/** Changes some parameters of the current URL (null removes one). */
export function setParams(changes: ParamValues, options: { replace?: boolean } = {}): void {
  const next = new URLSearchParams(location.search);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === '') next.delete(name);
    else next.set(name, String(value));
  }
  navigate(`${location.pathname}${query(next)}`, options);
}

/** Follows in-page links without reloading; modified clicks (new tab, ...) keep their meaning. */
export function followLink(event: MouseEvent): void {
  const anchor = (event.target as Element | null)?.closest?.('a');
  if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const target = anchor.getAttribute('href');
  if (!target || anchor.target || anchor.hasAttribute('download') || /^[a-z]+:/i.test(target) || /^\/(api|health|v1)(\/|$)/.test(target)) return;
  event.preventDefault();
  if (target.startsWith('#')) {
    history.replaceState(null, '', `${location.pathname}${location.search}${target}`);
    for (const listener of listeners) listener();
    const element = document.getElementById(decodeURIComponent(target.slice(1)));
    element?.scrollIntoView({ block: 'center' });
    if (element instanceof HTMLElement && element.hasAttribute('tabindex')) element.focus({ preventScroll: true });
    return;
  }
  navigate(target);
}
