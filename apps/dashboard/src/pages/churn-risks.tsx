import { apiUrl, useApi } from '../api';
import { Pager } from '../components/pager';
import { Loaded } from '../components/states';
import type { MessageKey } from '../i18n';
import { href, setParams } from '../router';
import type { ChurnRiskAnswer, ChurnRiskSort } from '../types';
import { useView } from '../view';

const SORTS: readonly ChurnRiskSort[] = ['-priority', 'priority', '-flaggedAt', 'flaggedAt', 'customerId', '-customerId'];
const DEFAULT_SORT: ChurnRiskSort = '-priority';

/** The sortable columns: the sort key and the direction a first click asks for. */
const SORTABLE: { key: 'priority' | 'flaggedAt' | 'customerId'; label: MessageKey; first: ChurnRiskSort }[] = [
  { key: 'customerId', label: 'customer', first: 'customerId' },
  { key: 'flaggedAt', label: 'flaggedAt', first: '-flaggedAt' },
  { key: 'priority', label: 'priority', first: '-priority' },
];

/** Customers with open churn-risk flags, highest priority (value × rule severity) first: the rule, the evidence behind it, the customer's value. */
export function ChurnRisksPage() {
  const { t, f, lang, route } = useView();
  const rule = route.params.get('rule');
  const cursor = route.params.get('cursor');
  const asked = route.params.get('sort') as ChurnRiskSort | null;
  const sort = asked && SORTS.includes(asked) ? asked : DEFAULT_SORT;
  const answer = useApi<ChurnRiskAnswer>(apiUrl('/api/v1/churn-risks', { rule, cursor, sort, lang, limit: 25 }));
  const rules = useApi<ChurnRiskAnswer>(apiUrl('/api/v1/churn-risks', { lang, limit: 1 }));
  // A plain link: the session cookie goes with it, and the server answers with a file to save.
  const csv = apiUrl('/api/v1/churn-risks', { format: 'csv', sort, rule, lang });

  const sortHeader = (column: (typeof SORTABLE)[number], className = '') => {
    const active = sort.replace('-', '') === column.key;
    const descending = sort.startsWith('-');
    const next = active ? ((descending ? column.key : `-${column.key}`) as ChurnRiskSort) : column.first;
    const label = t(column.label);
    return (
      <th scope="col" class={className} aria-sort={active ? (descending ? 'descending' : 'ascending') : undefined}>
        <button
          type="button"
          class={`sort-button${active ? ' active' : ''}`}
          data-sort={column.key}
          title={t('sortBy', { column: label })}
          onClick={() => setParams({ sort: next === DEFAULT_SORT ? null : next, cursor: null })}
        >
          {label}
          <span aria-hidden="true">{active ? (descending ? ' ▼' : ' ▲') : ' ↕'}</span>
        </button>
      </th>
    );
  };
  const [byCustomer, byFlaggedAt, byPriority] = SORTABLE;

  return (
    <>
      <div class="page-head">
        <h1>{t('churnTitle')}</h1>
        <p class="period-note">{t('churnNote')}</p>
      </div>
      <div class="toolbar">
        <div class="segmented wrap" role="group" aria-label={t('rule')}>
          <button type="button" aria-pressed={!rule} onClick={() => setParams({ rule: null, cursor: null })}>
            {t('allRules')}
          </button>
          {(rules.data?.rules ?? []).map((r) => (
            <button type="button" key={r.id} aria-pressed={rule === r.id} title={r.label ?? r.id} onClick={() => setParams({ rule: r.id, cursor: null })}>
              {r.label ?? r.id} <span class="count">{f.number(r.customers, 0)}</span>
            </button>
          ))}
        </div>
        <a class="button-link" href={csv} download data-testid="churn-csv" title={t('exportCsvTitle')}>
          {t('exportCsv')}
        </a>
      </div>
      <section class="card" aria-label={t('churnTitle')}>
        <Loaded state={answer} isEmpty={(d) => d.items.length === 0}>
          {(data) => (
            <>
              <div class="table-scroll">
                <table class="data" data-testid="churn-table">
                  <thead>
                    <tr>
                      {sortHeader(byCustomer)}
                      <th scope="col">{t('rule')}</th>
                      {sortHeader(byFlaggedAt)}
                      <th scope="col">{t('evidence')}</th>
                      <th scope="col" class="num" title={t('customerValueNote')}>
                        {t('customerValue')}
                      </th>
                      {sortHeader(byPriority, 'num')}
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((item) =>
                      item.flags.map((flag, i) => (
                        <tr key={flag.episodeId} data-customer={item.customerId} data-priority={item.priority} class={i > 0 ? 'continued' : ''}>
                          {i === 0 && (
                            <td rowSpan={item.flags.length}>
                              <a href={href(`/customers/${encodeURIComponent(item.customerId)}`)}>{item.name ?? item.customerId}</a>
                              {item.name !== null && <div class="muted small">{item.customerId}</div>}
                            </td>
                          )}
                          <td data-rule={flag.rule}>{flag.label ?? flag.reason}</td>
                          <td class="nowrap small">
                            <time dateTime={flag.flaggedAt}>{f.dateTime(flag.flaggedAt)}</time>
                            <div class="muted">{f.relative(flag.flaggedAt)}</div>
                          </td>
                          <td class="small">
                            <ul class="evidence-list">
                              {flag.evidenceEvents.map((ev) => (
                                <li key={ev.eventId}>
                                  <a href={href(`/customers/${encodeURIComponent(item.customerId)}`, {}, `ev-${ev.eventId}`)}>{ev.text ?? ev.eventId}</a>
                                </li>
                              ))}
                            </ul>
                          </td>
                          {i === 0 && (
                            <>
                              <td rowSpan={item.flags.length} class="num nowrap">
                                {f.money(item.value)}
                              </td>
                              <td rowSpan={item.flags.length} class="num nowrap">
                                <span class="strong">{f.number(item.priority, 0)}</span>
                                <div class="muted small">{t('priorityDetail', { severity: f.number(item.severity, 2) })}</div>
                              </td>
                            </>
                          )}
                        </tr>
                      )),
                    )}
                  </tbody>
                </table>
              </div>
              <Pager label={t('churnTitle')} cursor={cursor} nextCursor={data.nextCursor} />
            </>
          )}
        </Loaded>
      </section>
    </>
  );
}
