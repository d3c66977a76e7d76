import { useEffect, useState } from 'preact/hooks';
import { LANGS, type Lang } from '../i18n';
import { isCustomWindow, WINDOW_PRESETS } from '../period';
import { setParams } from '../router';
import { rememberLang, useView } from '../view';
import type { MessageKey } from '../i18n';

const ZONES = [
  'Asia/Ho_Chi_Minh',
  'Asia/Bangkok',
  'Asia/Singapore',
  'Asia/Tokyo',
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
];

/** Period, time zone and language: they live in the URL and apply to every page. */
export function ViewControls({ period }: { period: boolean }) {
  const { t, window, timeZone, serverTimeZone, tzParam, range, lang } = useView();
  const custom = isCustomWindow(window);
  const [editing, setEditing] = useState(custom);
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  useEffect(() => {
    setFrom(range.from);
    setTo(range.to);
    setEditing(isCustomWindow(window));
  }, [window, range.from, range.to]);
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zones = [...new Set([serverTimeZone, ...ZONES, browserZone, timeZone].filter(Boolean))];
  const presets = (WINDOW_PRESETS as readonly string[]).includes(window) || custom ? WINDOW_PRESETS : [...WINDOW_PRESETS, window];

  return (
    <div class="controls">
      {period && (
        <label class="control">
          <span>{t('window')}</span>
          <select
            value={editing ? 'custom' : window}
            onChange={(e) => {
              const value = (e.target as HTMLSelectElement).value;
              if (value === 'custom') setEditing(true);
              else setParams({ window: value, cursor: null });
            }}
          >
            {presets.map((w) => (
              <option value={w} key={w}>
                {(WINDOW_PRESETS as readonly string[]).includes(w) ? t(`window.${w}` as MessageKey) : w}
              </option>
            ))}
            <option value="custom">{t('window.custom')}</option>
          </select>
        </label>
      )}
      {period && editing && (
        <form
          class="custom-window"
          onSubmit={(e) => {
            e.preventDefault();
            if (from && to && from < to) setParams({ window: `${from}..${to}`, cursor: null });
          }}
        >
          <label class="control">
            <span>{t('from')}</span>
            <input type="date" value={from} max={to} required onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
          </label>
          <label class="control">
            <span>{t('to')}</span>
            <input type="date" value={to} min={from} required onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit">{t('apply')}</button>
        </form>
      )}
      <label class="control">
        <span>{t('timeZone')}</span>
        <select value={tzParam ?? ''} onChange={(e) => setParams({ tz: (e.target as HTMLSelectElement).value || null })}>
          <option value="">
            {serverTimeZone} ({t('serverZone')})
          </option>
          {zones
            .filter((z) => z !== serverTimeZone)
            .map((zone) => (
              <option value={zone} key={zone}>
                {zone}
              </option>
            ))}
        </select>
      </label>
      <div class="control lang-switch" role="group" aria-label={t('language')}>
        <span>{t('language')}</span>
        <div class="segmented">
          {LANGS.map((code: Lang) => (
            <button
              type="button"
              key={code}
              aria-pressed={lang === code}
              lang={code}
              title={code === 'vi' ? 'Tiếng Việt' : 'English'}
              onClick={() => {
                rememberLang(code);
                setParams({ lang: code }, { replace: true });
              }}
            >
              {code === 'vi' ? 'Tiếng Việt' : 'English'}
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
