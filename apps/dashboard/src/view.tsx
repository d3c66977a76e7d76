import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { formats, type Formats } from './format';
import { LANGS, translator, type Lang, type Translate } from './i18n';
import { normalizeWindow, rangeOf, readableAsOf, type DateRange } from './period';
import type { Route } from './router';

/** What every part of the page needs to know about the current view, read from the URL. */
export interface View {
  route: Route;
  lang: Lang;
  t: Translate;
  f: Formats;
  /** The zone dates are shown in: `tz=` from the URL, else the server's. */
  timeZone: string;
  /** What to pass as `tz=` to the API (nothing when the server's own zone is in use). */
  tzParam: string | undefined;
  serverTimeZone: string;
  window: string;
  range: DateRange;
}

export const ViewContext = createContext<View | null>(null);

export function useView(): View {
  const view = useContext(ViewContext);
  if (!view) throw new Error('useView outside the dashboard');
  return view;
}

const LANG_KEY = 'journeyline.lang';

export function preferredLang(params: URLSearchParams): Lang {
  const asked = params.get('lang');
  if (asked && (LANGS as readonly string[]).includes(asked)) return asked as Lang;
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved && (LANGS as readonly string[]).includes(saved)) return saved as Lang;
  } catch {
    // storage may be unavailable (private mode): the browser's language decides
  }
  return navigator.language?.toLowerCase().startsWith('vi') ? 'vi' : 'en';
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // not remembered; the URL still carries it
  }
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function buildView(route: Route, serverTimeZone: string): View {
  const lang = preferredLang(route.params);
  const asked = route.params.get('tz');
  const tzParam = asked && isTimeZone(asked) ? asked : undefined;
  const timeZone = tzParam ?? serverTimeZone;
  const window = normalizeWindow(route.params.get('window'));
  // "as known on" a day: a window counted back from today counts back from that day, as the API's does
  const asOfDay = readableAsOf(route.params.get('asOf'))?.slice(0, 10);
  return { route, lang, t: translator(lang), f: formats(lang, timeZone), timeZone, tzParam, serverTimeZone, window, range: rangeOf(window, timeZone, asOfDay) };
}

/** The query parameters of every windowed API read. */
export function windowParams(view: View): { window: string; tz: string | undefined } {
  return { window: view.window, tz: view.tzParam };
}
