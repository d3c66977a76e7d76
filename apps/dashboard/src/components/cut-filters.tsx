import { useEffect, useState } from 'preact/hooks';
import { STAGES, stageLabel, type MessageKey, type Stage } from '../i18n';
import { setParams } from '../router';
import { useView } from '../view';

/** The customer portrait fields the reads can be filtered by, one at a time. */
const PORTRAIT_FIELDS = ['segment', 'region', 'ageBand', 'gender', 'acquisitionChannel'] as const;
type PortraitField = (typeof PORTRAIT_FIELDS)[number];

/** The filters of a page's reads, as the API takes them (`stage=use&channel=web&segment=SME`). */
export type CutParams = Partial<Record<'stage' | 'channel' | 'touchpoint' | PortraitField, string>>;

/**
 * The filters in the URL: a stage, a channel, a touchpoint when the page takes one, and one
 * portrait field (the metrics take one portrait filter at a time; a second, if the URL was made by
 * hand, is left out rather than sent for a 400).
 */
export function cutOf(params: URLSearchParams, { touchpoint = false } = {}): CutParams {
  const cut: CutParams = {};
  const stage = params.get('stage');
  if (stage && (STAGES as readonly string[]).includes(stage)) cut.stage = stage as Stage;
  const channel = params.get('channel');
  if (channel) cut.channel = channel;
  const tp = params.get('touchpoint');
  if (touchpoint && tp) cut.touchpoint = tp;
  const field = PORTRAIT_FIELDS.find((name) => params.get(name));
  if (field) cut[field] = params.get(field)!;
  return cut;
}

function portraitOf(cut: CutParams): { field: PortraitField | ''; value: string } {
  const field = PORTRAIT_FIELDS.find((name) => cut[name] !== undefined);
  return field ? { field, value: cut[field]! } : { field: '', value: '' };
}

interface CutFiltersProps {
  cut: CutParams;
  channels: string[];
  /** A touchpoint select, with these touchpoints (pages whose reads take a touchpoint filter). */
  touchpoints?: string[];
  /** URL parameters of the page that a change of filter clears (a selected row). */
  reset?: Record<string, null>;
  /** What the filters mean on this page. */
  note?: MessageKey;
}

/** Stage, channel, touchpoint and one portrait filter; each kept in the URL (the selects apply at once, the portrait on Enter or Apply). */
export function CutFilters({ cut, channels, touchpoints, reset = {}, note = 'cut.note' }: CutFiltersProps) {
  const { t } = useView();
  const applied = portraitOf(cut);
  const [field, setField] = useState<PortraitField | ''>(applied.field);
  const [value, setValue] = useState(applied.value);
  useEffect(() => {
    setField(applied.field);
    setValue(applied.value);
  }, [applied.field, applied.value]);
  const noPortrait = Object.fromEntries(PORTRAIT_FIELDS.map((name) => [name, null]));
  const applyPortrait = (name: PortraitField | '', text: string) =>
    setParams({ ...noPortrait, ...(name && text.trim() ? { [name]: text.trim() } : {}), ...reset });
  return (
    <form
      class="card filters cut-filters"
      role="search"
      aria-label={t('cut.filters')}
      data-testid="cut-filters"
      onSubmit={(e) => (e.preventDefault(), applyPortrait(field, value))}
    >
      <StageFilter value={cut.stage ?? ''} onChange={(stage) => setParams({ stage, ...reset })} />
      <PlaceSelect name="channel" label={t('channel')} any={t('any')} value={cut.channel} options={channels} reset={reset} />
      {touchpoints && <PlaceSelect name="touchpoint" label={t('touchpoint')} any={t('any')} value={cut.touchpoint} options={touchpoints} reset={reset} />}
      <label class="control">
        <span>{t('cut.portraitField')}</span>
        <select
          name="portraitField"
          value={field}
          onChange={(e) => {
            const next = (e.target as HTMLSelectElement).value as PortraitField | '';
            setField(next);
            // No field: the portrait filter goes at once; another field with a value already applied moves it there.
            if (next === '' || applied.value) applyPortrait(next, next === '' ? '' : value);
          }}
        >
          <option value="">{t('cut.noPortrait')}</option>
          {PORTRAIT_FIELDS.map((name) => (
            <option value={name} key={name}>
              {t(`portrait.${name}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label class="control">
        <span>{t('cut.portraitValue')}</span>
        <input
          name="portraitValue"
          value={value}
          disabled={field === ''}
          maxLength={200}
          placeholder={field === '' ? '' : t('cut.valuePlaceholder')}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
        />
      </label>
      <button type="submit" disabled={field === ''}>
        {t('apply')}
      </button>
      {Object.keys(cut).length > 0 && (
        <button type="button" class="link-button" onClick={() => setParams({ ...noPortrait, stage: null, channel: null, touchpoint: null, ...reset })}>
          {t('clearFilters')}
        </button>
      )}
      <p class="muted small cut-note">{t(note)}</p>
    </form>
  );
}

/** A channel or touchpoint select: any, or one of `options` (and the one asked, when the URL names one not listed). */
function PlaceSelect(props: { name: 'channel' | 'touchpoint'; label: string; any: string; value?: string; options: string[]; reset: Record<string, null> }) {
  const { name, label, any, value, options, reset } = props;
  const listed = value && !options.includes(value) ? [...options, value] : options;
  return (
    <label class="control">
      <span>{label}</span>
      <select name={name} value={value ?? ''} onChange={(e) => setParams({ [name]: (e.target as HTMLSelectElement).value, ...reset })}>
        <option value="">{any}</option>
        {listed.map((option) => (
          <option value={option} key={option}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The stage filter of a page: any, or one of the six stages, in the page's language. */
export function StageFilter({ value, onChange }: { value: string; onChange: (stage: string) => void }) {
  const { t, lang } = useView();
  return (
    <label class="control">
      <span>{t('stage')}</span>
      <select name="stage" value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        <option value="">{t('any')}</option>
        {STAGES.map((s) => (
          <option value={s} key={s}>
            {stageLabel(s, lang)}
          </option>
        ))}
      </select>
    </label>
  );
}
