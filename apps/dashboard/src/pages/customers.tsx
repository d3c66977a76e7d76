import { useEffect, useState } from 'preact/hooks';
import { apiUrl, useApi } from '../api';
import { AsOfControl, useAsOf } from '../components/as-of-control';
import { StageFilter } from '../components/cut-filters';
import { Pager } from '../components/pager';
import { Loaded } from '../components/states';
import { stageLabel, type MessageKey } from '../i18n';
import { scoreClass } from '../metrics';
import { href, setParams } from '../router';
import type { CustomerListItem, Page, TouchpointStagesAnswer } from '../types';
import { useView } from '../view';

const FILTERS = ['q', 'stage', 'segment', 'region', 'acquisitionChannel', 'touchpoint', 'churnRisk', 'detractor', 'openTickets'] as const;
/** Filters shown as a checkbox: ticked sends `=true`, unticked leaves the filter out. */
const TOGGLES = [
  { name: 'detractor', label: 'filter.detractor', hint: 'filter.detractorHint' },
  { name: 'openTickets', label: 'filter.openTickets', hint: 'filter.openTicketsHint' },
] as const;
const SORTS = ['-lastSeen', 'lastSeen', '-firstSeen', 'firstSeen', 'customerId'] as const;

// Values seen so far, offered as suggestions in the free-text filters.
const seen = { segment: new Set<string>(), region: new Set<string>(), acquisitionChannel: new Set<string>() };

/** The customer list: a search (id, name, e-mail or phone prefix) and filters in the URL, keyset pages through the API's cursor. */
export function CustomersPage() {
  const { t, f, lang, route, tzParam } = useView();
  const p = route.params;
  const filter = Object.fromEntries(FILTERS.map((name) => [name, p.get(name) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const sort = (SORTS as readonly string[]).includes(p.get('sort') ?? '') ? p.get('sort')! : '-lastSeen';
  const cursor = p.get('cursor');
  const asOf = useAsOf();
  const list = useApi<Page<CustomerListItem> & { asOf?: { asOf: string } }>(
    apiUrl('/api/v1/customers', { ...filter, sort, cursor, limit: 25, tz: tzParam, ...asOf.params }),
  );
  const touchpoints = useApi<TouchpointStagesAnswer>(apiUrl('/api/v1/touchpoints/by-stage', { metric: 'nps', window: '1d' }));
  for (const item of list.data?.items ?? []) {
    if (item.segment) seen.segment.add(item.segment);
    if (item.region) seen.region.add(item.region);
    if (item.acquisitionChannel) seen.acquisitionChannel.add(item.acquisitionChannel);
  }
  const change = (name: string, value: string) => setParams({ [name]: value || null, cursor: null });
  const anyFilter = FILTERS.some((name) => filter[name]);
  // What is typed in the search box; it goes to the URL (and the list) on Enter.
  const [typed, setTyped] = useState(filter.q);
  useEffect(() => setTyped(filter.q), [filter.q]);

  return (
    <>
      <div class="page-head">
        <h1>{t('customersTitle')}</h1>
      </div>
      <AsOfControl stated={list.data?.asOf?.asOf} />
      <form
        class="card search-bar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          change('q', typed.trim());
        }}
      >
        <label class="control">
          <span>{t('search')}</span>
          <input
            type="search"
            name="q"
            value={typed}
            placeholder={t('searchPlaceholder')}
            aria-describedby="search-hint"
            autoComplete="off"
            spellcheck={false}
            maxLength={200}
            onInput={(e) => {
              const value = (e.target as HTMLInputElement).value;
              setTyped(value);
              // Emptying the box (or its clear button) shows every customer again at once.
              if (!value && filter.q) change('q', '');
            }}
          />
        </label>
        <button type="submit">{t('searchSubmit')}</button>
        <span id="search-hint" class="muted small">
          {t('searchHint')}
        </span>
      </form>
      <form class="card filters" role="search" aria-label={t('filters')} onSubmit={(e) => e.preventDefault()}>
        <StageFilter value={filter.stage} onChange={(stage) => change('stage', stage)} />
        {(['segment', 'region', 'acquisitionChannel'] as const).map((name) => (
          <label class="control" key={name}>
            <span>{t(name as MessageKey)}</span>
            <input
              name={name}
              list={`list-${name}`}
              value={filter[name]}
              placeholder={t('any')}
              onChange={(e) => change(name, (e.target as HTMLInputElement).value.trim())}
            />
            <datalist id={`list-${name}`}>
              {[...seen[name]].sort().map((v) => (
                <option value={v} key={v} />
              ))}
            </datalist>
          </label>
        ))}
        <label class="control">
          <span>{t('touchpoint')}</span>
          <input
            name="touchpoint"
            list="list-touchpoint"
            value={filter.touchpoint}
            placeholder={t('any')}
            onChange={(e) => change('touchpoint', (e.target as HTMLInputElement).value.trim())}
          />
          <datalist id="list-touchpoint">
            {(touchpoints.data?.rows ?? []).map((r) => (
              <option value={r.touchpoint} key={r.touchpoint} />
            ))}
          </datalist>
        </label>
        <label class="control">
          <span>{t('churnRisk')}</span>
          <select name="churnRisk" value={filter.churnRisk} onChange={(e) => change('churnRisk', (e.target as HTMLSelectElement).value)}>
            <option value="">{t('any')}</option>
            <option value="true">{t('churnRisk.true')}</option>
            <option value="false">{t('churnRisk.false')}</option>
          </select>
        </label>
        {TOGGLES.map(({ name, label, hint }) => (
          <label class="check" key={name} title={t(hint)}>
            <input
              type="checkbox"
              name={name}
              checked={filter[name] === 'true'}
              onChange={(e) => change(name, (e.target as HTMLInputElement).checked ? 'true' : '')}
            />
            <span>{t(label)}</span>
          </label>
        ))}
        <label class="control">
          <span>{t('sort')}</span>
          <select
            name="sort"
            value={sort}
            onChange={(e) => change('sort', (e.target as HTMLSelectElement).value === '-lastSeen' ? '' : (e.target as HTMLSelectElement).value)}
          >
            {SORTS.map((s) => (
              <option value={s} key={s}>
                {t(`sort.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        {anyFilter && (
          <button type="button" class="link-button" onClick={() => setParams({ ...Object.fromEntries(FILTERS.map((n) => [n, null])), cursor: null })}>
            {t('clearFilters')}
          </button>
        )}
      </form>
      <section class="card" aria-label={t('customersTitle')}>
        <Loaded state={list} isEmpty={(d) => d.items.length === 0}>
          {(data) => (
            <>
              <div class="table-scroll">
                <table class="data" data-testid="customer-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('customer')}</th>
                      <th scope="col">{t('currentStage')}</th>
                      <th scope="col">{t('segment')}</th>
                      <th scope="col">{t('region')}</th>
                      <th scope="col">{t('acquisitionChannel')}</th>
                      <th scope="col">{t('lastSeen')}</th>
                      <th scope="col" class="num">
                        {t('lastNps')}
                      </th>
                      <th scope="col" class="num">
                        {t('openTickets')}
                      </th>
                      <th scope="col">{t('churnRisk')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((c) => (
                      <tr key={c.customerId} data-customer={c.customerId}>
                        <td>
                          <a href={href(`/customers/${encodeURIComponent(c.customerId)}`)}>{c.name ?? c.customerId}</a>
                          <div class="muted small">
                            {c.customerId}
                            {c.erased && <em> · {t('erased')}</em>}
                          </div>
                        </td>
                        <td>
                          {c.currentStage ? (
                            <span class={`stage-chip stage-${c.currentStage}`} data-stage={c.currentStage}>
                              {stageLabel(c.currentStage, lang)}
                            </span>
                          ) : (
                            '—'
                          )}
                        </td>
                        <td>{c.segment ?? '—'}</td>
                        <td>{c.region ?? '—'}</td>
                        <td>{c.acquisitionChannel ?? '—'}</td>
                        <td class="nowrap">
                          <time dateTime={c.lastSeenAt}>{f.date(c.lastSeenAt)}</time>
                        </td>
                        <td class="num">{c.lastNps === null ? '—' : <span class={`score ${scoreClass('nps', c.lastNps, '0-10')}`}>{c.lastNps}</span>}</td>
                        <td class="num">{c.openTickets || '—'}</td>
                        <td>
                          {c.churned && <span class="badge bad">{t('churned')}</span>}
                          {c.churnRisk && (
                            <span class="badge warn" title={c.churnRiskRules.join(', ')}>
                              {t('flagged')}
                            </span>
                          )}
                          {!c.churned && !c.churnRisk && '—'}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager label={t('customersTitle')} cursor={cursor} nextCursor={data.nextCursor}>
                <span class="muted small">{t('customersShown', { n: data.items.length })}</span>
              </Pager>
            </>
          )}
        </Loaded>
      </section>
    </>
  );
}
