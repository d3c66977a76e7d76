import { Fragment } from 'preact';
import { apiUrl, useApi } from '../api';
import { Pager } from '../components/pager';
import { Loaded } from '../components/states';
import { href, setParams } from '../router';
import type { ChurnRiskAnswer } from '../types';
import { useView } from '../view';

/** Customers with open churn-risk flags by rule: how old each flag is and the events behind it. */
export function ChurnRisksPage() {
  const { t, f, lang, route } = useView();
  const rule = route.params.get('rule');
  const cursor = route.params.get('cursor');
  const answer = useApi<ChurnRiskAnswer>(apiUrl('/api/v1/churn-risks', { rule, cursor, lang, limit: 25 }));
  const rules = useApi<ChurnRiskAnswer>(apiUrl('/api/v1/churn-risks', { lang, limit: 1 }));

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
      </div>
      <section class="card" aria-label={t('churnTitle')}>
        <Loaded state={answer} isEmpty={(d) => d.items.length === 0}>
          {(data) => (
            <>
              <div class="table-scroll">
                <table class="data" data-testid="churn-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('customer')}</th>
                      <th scope="col">{t('reason')}</th>
                      <th scope="col">{t('flaggedAt')}</th>
                      <th scope="col">{t('age')}</th>
                      <th scope="col">{t('evidence')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((item) =>
                      item.flags.map((flag, i) => (
                        <tr key={flag.episodeId} data-customer={item.customerId} class={i > 0 ? 'continued' : ''}>
                          {i === 0 && (
                            <td rowSpan={item.flags.length}>
                              <a href={href(`/customers/${encodeURIComponent(item.customerId)}`)}>{item.customerId}</a>
                            </td>
                          )}
                          <td>{flag.label ?? flag.reason}</td>
                          <td class="nowrap small">
                            <time dateTime={flag.flaggedAt}>{f.dateTime(flag.flaggedAt)}</time>
                          </td>
                          <td class="nowrap">{f.relative(flag.flaggedAt)}</td>
                          <td class="small">
                            {flag.evidence.map((id, j) => (
                              <Fragment key={id}>
                                {j > 0 && ', '}
                                <a href={href(`/customers/${encodeURIComponent(item.customerId)}`, {}, `ev-${id}`)}>{id}</a>
                              </Fragment>
                            ))}
                          </td>
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
