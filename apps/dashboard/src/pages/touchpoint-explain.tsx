import { useState } from 'preact/hooks';
import { apiUrl, useApi } from '../api';
import { useAsOf } from '../components/as-of-control';
import { Empty, Loaded } from '../components/states';
import { addDays, type Formats } from '../format';
import { stageLabel, type MessageKey, type Translate } from '../i18n';
import { definitionOf, formatMetric, scoreClass, scoreText } from '../metrics';
import { href } from '../router';
import type { ExplainAnswer, Metric } from '../types';
import { useView, windowParams } from '../view';

const GROUPINGS = ['channel', 'stage', 'segment'] as const;
type Grouping = (typeof GROUPINGS)[number];

/**
 * "Why did this change?" for one touchpoint: its change against the period of equal length just
 * before, split into mix (the channels, stages or segments answered in other proportions) and rate
 * (scores within them changed), the groups that moved it most, and the answers behind it with
 * links to each customer's journey. Every value is text in JSX (escaped); nothing is built as HTML.
 */
export function TouchpointExplain({
  touchpoint,
  metric,
  scale,
  filters,
}: {
  touchpoint: string;
  metric: Metric;
  /** CSAT and CES: the scale the panel shows (the one answered most). */
  scale: string | null;
  /** The page's stage and channel filters (the explanation takes no portrait filter). */
  filters: { stage?: string; channel?: string };
}) {
  const view = useView();
  const { t, f } = view;
  const [by, setBy] = useState<Grouping>('channel');
  const asOf = useAsOf();
  const explained = useApi<ExplainAnswer & { asOf?: { asOf: string } }>(
    apiUrl('/api/v1/metrics/explain', {
      metric,
      touchpoint,
      by,
      scale: definitionOf(metric).perScale ? scale : null,
      stage: filters.stage,
      channel: filters.channel,
      limit: 5,
      ...windowParams(view),
      ...asOf.params,
    }),
  );
  return (
    <section class="explain" aria-labelledby="explain-title" data-testid="explain-change">
      <header class="explain-head">
        <h3 id="explain-title">{t('explain.title')}</h3>
        <label class="control">
          <span>{t('explain.by')}</span>
          <select name="explainBy" value={by} onChange={(e) => setBy((e.target as HTMLSelectElement).value as Grouping)}>
            {GROUPINGS.map((g) => (
              <option value={g} key={g}>
                {t(`explain.by.${g}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
      </header>
      <Loaded state={explained}>
        {(answer) => (
          <>
            {answer.asOf && <p class="muted small">{t('asOfNote', { asOf: f.dateTime(answer.asOf.asOf) })}</p>}
            <Explanation answer={answer} metric={metric} asOf={asOf.asOf} />
          </>
        )}
      </Loaded>
    </section>
  );
}

/** A change in the metric's unit: NPS points, percentage points, a difference of means, hours. */
function formatDelta(metric: Metric, value: number | null, f: Formats, t: Translate): string {
  if (value === null) return '—';
  const { unit, digits } = definitionOf(metric);
  const signed = f.signed(value, digits);
  if (unit === 'percent') return t('explain.percentPoints', { value: signed });
  if (unit === 'hours') return t('hours', { value: signed });
  return signed;
}

/** `asOf`: the moment the page reads as of, which each answer's link to a journey keeps (the journey reads it from its URL). */
function Explanation({ answer, metric, asOf }: { answer: ExplainAnswer; metric: Metric; asOf: string | null }) {
  const { t, f, lang } = useView();
  // the previous period's first and last day (its `toDay` is exclusive)
  const period = t('explain.previousPeriod', { from: f.day(answer.previousWindow.fromDay), to: f.day(addDays(answer.previousWindow.toDay, -1)) });
  const groupName = (key: string) => (key === '' ? t('explain.unknown') : answer.by === 'stage' ? stageLabel(key, lang) : key);
  const value = (v: number | null) => formatMetric(metric, v, f, t, answer.scale);
  if (answer.change === null) {
    return (
      <>
        <p class="muted small">{period}</p>
        <Empty>{t('explain.noChange')}</Empty>
      </>
    );
  }
  const top = answer.groups.slice(0, 6);
  return (
    <>
      <p class="muted small">
        {period}
        {answer.scale && ` · ${t('scale', { scale: answer.scale })}`}
      </p>
      <dl class="explain-totals">
        <div>
          <dt>{t('explain.change')}</dt>
          <dd class={`trend ${answer.direction}`} data-testid="explain-change-total">
            {value(answer.previous.value)} → {value(answer.current.value)} ({formatDelta(metric, answer.change, f, t)})
          </dd>
        </div>
        <div>
          <dt>{t('explain.mix')}</dt>
          <dd data-testid="explain-mix">{formatDelta(metric, answer.mix, f, t)}</dd>
        </div>
        <div>
          <dt>{t('explain.rate')}</dt>
          <dd data-testid="explain-rate">{formatDelta(metric, answer.rate, f, t)}</dd>
        </div>
      </dl>
      <div class="table-scroll">
        <table class="data" data-testid="explain-groups">
          <thead>
            <tr>
              <th scope="col">{t(`explain.by.${answer.by}` as MessageKey)}</th>
              <th scope="col" class="num">
                {t('explain.share')}
              </th>
              <th scope="col" class="num">
                {t(`metric.${metric}` as MessageKey)}
              </th>
              <th scope="col" class="num">
                {t('explain.mixShort')}
              </th>
              <th scope="col" class="num">
                {t('explain.rateShort')}
              </th>
              <th scope="col" class="num">
                {t('explain.contribution')}
              </th>
            </tr>
          </thead>
          <tbody>
            {top.map((g) => (
              <tr key={g.key} data-key={g.key}>
                <td>{groupName(g.key)}</td>
                <td class="num nowrap">
                  {f.percent(g.sharePrevious, 0)} → {f.percent(g.shareCurrent, 0)}
                </td>
                <td class="num nowrap">
                  {value(g.valuePrevious)} → {value(g.valueCurrent)}
                </td>
                <td class="num">{formatDelta(metric, g.mix, f, t)}</td>
                <td class="num">{formatDelta(metric, g.rate, f, t)}</td>
                <td class="num strong">{formatDelta(metric, g.contribution, f, t)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {answer.groups.length > top.length && <p class="muted small">{t('explain.moreGroups', { n: answer.groups.length - top.length })}</p>}
      {answer.focus && (
        <>
          <h4>{t(answer.focus.answers === 'worst' ? 'explain.answersWorst' : 'explain.answersBest', { group: groupName(answer.focus.key) })}</h4>
          {answer.answers.length === 0 ? (
            <p class="muted small">{t('explain.noAnswers')}</p>
          ) : (
            <ul class="comment-list" data-testid="explain-answers">
              {answer.answers.map((a) => (
                <li key={a.eventId}>
                  <span class={`score ${scoreClass(a.kind, a.score, a.scale)}`} title={`${a.kind.toUpperCase()} ${scoreText(a.kind, a.score)} (${a.scale})`}>
                    {scoreText(a.kind, a.score)}
                  </span>
                  <div>
                    <q>{a.comment}</q>
                    <div class="muted small">
                      <a href={href(`/customers/${encodeURIComponent(a.customerId)}`, { asOf }, `ev-${a.eventId}`)}>{a.customerId}</a>
                      {a.channel && ` · ${a.channel}`} · <time dateTime={a.occurredAt}>{f.dateTime(a.occurredAt)}</time>
                    </div>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}
