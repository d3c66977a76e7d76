import { Fragment, type ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, apiUrl, fetchJson, useApi } from '../api';
import { JourneyTimeline, TimelineLegend } from '../components/journey-timeline';
import { ErrorMessage, Loaded, Loading } from '../components/states';
import type { Formats } from '../format';
import { eventTypeLabel, stageLabel, type Lang, type MessageKey, type Translate } from '../i18n';
import { scoreClass, scoreText } from '../metrics';
import { href } from '../router';
import { AsOfControl, useAsOf } from '../components/as-of-control';
import type { ChurnRiskAnswer, CustomerEvent, Journey, Page } from '../types';
import { useView } from '../view';

const MAX_EVENTS = 5000;

const PROFILE_FIELDS: Record<string, MessageKey> = {
  name: 'name',
  segment: 'segment',
  region: 'region',
  ageBand: 'ageBand',
  acquisitionChannel: 'acquisitionChannel',
};

/** Every event of a customer, page by page (at most MAX_EVENTS). */
function useCustomerEvents(customerId: string): { events?: CustomerEvent[]; error?: ApiError; truncated: boolean } {
  const [state, setState] = useState<{ id: string; events?: CustomerEvent[]; error?: ApiError; truncated: boolean }>({ id: '', truncated: false });
  useEffect(() => {
    let current = true;
    (async () => {
      const events: CustomerEvent[] = [];
      let cursor: string | undefined;
      do {
        const page = await fetchJson<Page<CustomerEvent>>(apiUrl(`/api/v1/customers/${encodeURIComponent(customerId)}/events`, { limit: 1000, cursor }));
        events.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && events.length < MAX_EVENTS);
      if (current) setState({ id: customerId, events, truncated: Boolean(cursor) });
    })().catch(
      (error: unknown) => current && setState({ id: customerId, error: error instanceof ApiError ? error : new ApiError(0, String(error)), truncated: false }),
    );
    return () => {
      current = false;
    };
  }, [customerId]);
  return state.id === customerId ? state : { truncated: false };
}

/** One customer's journey: the swim-lane time line, stages and durations, churn-risk reasons with their evidence, and every event. */
export function CustomerJourneyPage({ customerId }: { customerId: string }) {
  const { t, lang } = useView();
  // ?asOf=2026-11-01: the journey as known at midnight of that day (in the page's time zone)
  const asOf = useAsOf();
  const journey = useApi<Journey & { asOf?: string }>(apiUrl(`/api/v1/customers/${encodeURIComponent(customerId)}/journey`, asOf.params));
  const rules = useApi<ChurnRiskAnswer>(apiUrl('/api/v1/churn-risks', { limit: 1, lang }));
  const events = useCustomerEvents(customerId);
  const { route } = useView();
  const labels = new Map((rules.data?.rules ?? []).map((r) => [r.id, r.label]));

  useEffect(() => {
    if (!route.hash || !events.events || !journey.data) return;
    document.getElementById(route.hash)?.scrollIntoView({ block: 'center' });
  }, [route.hash, events.events, journey.data]);

  return (
    <>
      <p class="breadcrumb">
        <a href={href('/customers')}>{t('backToCustomers')}</a>
      </p>
      <AsOfControl stated={journey.data?.asOf} />
      {journey.error && <h1>{customerId}</h1>}
      <Loaded state={journey}>
        {(data) => {
          const ticketEvents = new Map((events.events ?? []).filter((e) => e.type === 'ticket.opened').map((e) => [String(e.data.ticketId), e.eventId]));
          return (
            <>
              <JourneyHeader journey={data} />
              <section class="card" aria-labelledby="timeline-title">
                <h2 id="timeline-title">{t('timelineTitle')}</h2>
                <JourneyTimeline journey={data} ticketEvents={ticketEvents} />
                <TimelineLegend />
              </section>
              <div class="split">
                <ChurnReasons journey={data} labels={labels} highlight={route.hash} />
                <StageTable journey={data} />
              </div>
              <div class="split">
                <FeedbackTable journey={data} />
                <TicketTable journey={data} ticketEvents={ticketEvents} />
              </div>
            </>
          );
        }}
      </Loaded>
      {!journey.error && (
        <section class="card" aria-labelledby="events-title">
          <h2 id="events-title">{t('eventsTitle')}</h2>
          {events.error ? (
            <ErrorMessage error={events.error} />
          ) : !events.events ? (
            <Loading />
          ) : (
            <EventTable
              events={journey.data?.asOf ? events.events.filter((e) => e.recordedAt <= journey.data!.asOf!) : events.events}
              highlight={route.hash}
              labels={labels}
            />
          )}
        </section>
      )}
    </>
  );
}

function JourneyHeader({ journey }: { journey: Journey }) {
  const { t, f, lang } = useView();
  const spent = new Map<string, number>();
  for (const p of journey.purchases) spent.set(p.currency || 'VND', (spent.get(p.currency || 'VND') ?? 0) + p.amount);
  const facts: [string, ComponentChildren][] = [
    [t('customer'), <code>{journey.customerId}</code>],
    ...(journey.mergedCustomers?.length
      ? ([
          [
            t('mergedCustomers'),
            <span>
              {journey.mergedCustomers.map((id, i) => (
                <>
                  {i > 0 && ', '}
                  <code>{id}</code>
                </>
              ))}
            </span>,
          ],
        ] as [string, ComponentChildren][])
      : []),
    [t('currentStage'), journey.currentStage ? <span class={`stage-chip stage-${journey.currentStage}`}>{stageLabel(journey.currentStage, lang)}</span> : '—'],
    [t('segment'), journey.profile.segment ?? '—'],
    [t('region'), journey.profile.region ?? '—'],
    [t('ageBand'), journey.profile.ageBand ?? '—'],
    [t('acquisitionChannel'), journey.profile.acquisitionChannel ?? '—'],
    [t('firstSeen'), f.dateTime(journey.firstSeenAt)],
    [t('lastSeen'), f.dateTime(journey.lastSeenAt)],
    [t('totalSpent'), spent.size ? [...spent.entries()].map(([currency, amount]) => f.money(amount, currency)).join(' + ') : '—'],
  ];
  return (
    <section class="card journey-head" aria-labelledby="journey-title">
      <div>
        <h1 id="journey-title">
          {journey.profile.name ?? journey.customerId}
          {journey.erased && <em class="muted small"> ({t('erased')})</em>}
        </h1>
        <p class="muted">
          {t('page.journey')}
          {journey.churn.churned && journey.churn.churnedAt && (
            <>
              {' · '}
              <span class="badge bad">{t('churnedOn', { date: f.date(journey.churn.churnedAt), reason: journey.churn.reason ?? '—' })}</span>
            </>
          )}
          {journey.churn.reactivatedAt && <span class="badge good">{t('reactivatedOn', { date: f.date(journey.churn.reactivatedAt) })}</span>}
        </p>
      </div>
      <dl class="facts">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function ChurnReasons({ journey, labels, highlight }: { journey: Journey; labels: Map<string, string | null>; highlight: string }) {
  const { t, f } = useView();
  const risks = [...journey.churnRisks].sort((a, b) => Number(a.clearedAt !== null) - Number(b.clearedAt !== null) || b.flaggedAt.localeCompare(a.flaggedAt));
  return (
    <section class="card" aria-labelledby="risks-title" data-testid="churn-reasons">
      <h2 id="risks-title">{t('churnReasonsTitle')}</h2>
      {risks.length === 0 ? (
        <p class="muted">{t('noChurnRisks')}</p>
      ) : (
        <ul class="risk-list">
          {risks.map((risk) => (
            <li
              key={risk.episodeId}
              id={`risk-${risk.episodeId}`}
              class={`${risk.clearedAt ? 'cleared' : 'open'} ${highlight === `risk-${risk.episodeId}` ? 'highlight' : ''}`}
            >
              <strong>{labels.get(risk.rule) ?? risk.reason}</strong>
              <div class="muted small">
                {t('flaggedAt')}: <time dateTime={risk.flaggedAt}>{f.dateTime(risk.flaggedAt)}</time> ({f.relative(risk.flaggedAt)}) ·{' '}
                {risk.clearedAt ? t('cleared', { date: f.date(risk.clearedAt) }) : <span class="badge warn">{t('open')}</span>}
              </div>
              <div class="small">
                {t('evidence')}:{' '}
                {risk.evidence.map((id, i) => (
                  <Fragment key={id}>
                    {i > 0 && ', '}
                    <a href={`#ev-${id}`}>{id}</a>
                  </Fragment>
                ))}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function StageTable({ journey }: { journey: Journey }) {
  const { t, f, lang } = useView();
  return (
    <section class="card" aria-labelledby="stages-title">
      <h2 id="stages-title">{t('stagesTitle')}</h2>
      <div class="table-scroll">
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{t('stage')}</th>
              <th scope="col">{t('entered')}</th>
              <th scope="col">{t('duration')}</th>
              <th scope="col">{t('touchpoints')}</th>
            </tr>
          </thead>
          <tbody>
            {journey.stages.map((stay) => (
              <tr key={`${stay.stage}-${stay.enteredAt}`}>
                <td>
                  <span class={`stage-chip stage-${stay.stage}`}>{stageLabel(stay.stage, lang)}</span>
                  {stay.direction === 'backward' && <div class="small bad-text">↩ {t('direction.backward')}</div>}
                </td>
                <td class="nowrap small">{f.dateTime(stay.enteredAt)}</td>
                <td class="nowrap">
                  {f.duration(stay.durationMs)}
                  {!stay.leftAt && <div class="muted small">{t('ongoing')}</div>}
                </td>
                <td>
                  <ol class="touchpoint-list">
                    {stay.touchpoints.map((tp) => (
                      <li key={tp.eventId} data-testid="journey-touchpoint" data-touchpoint={tp.touchpoint}>
                        <a href={`#ev-${tp.eventId}`}>{tp.touchpoint}</a>{' '}
                        <span class="muted small">
                          {tp.channel} · {f.date(tp.at)}
                        </span>
                      </li>
                    ))}
                  </ol>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function FeedbackTable({ journey }: { journey: Journey }) {
  const { t, f, lang } = useView();
  return (
    <section class="card" aria-labelledby="feedback-title">
      <h2 id="feedback-title">{t('feedbackTitle')}</h2>
      {journey.feedback.length === 0 ? (
        <p class="muted">{t('noFeedback')}</p>
      ) : (
        <ul class="comment-list">
          {journey.feedback.map((fb) => (
            <li key={fb.eventId}>
              <span class={`score ${scoreClass(fb.kind, fb.score, fb.scale)}`} title={fb.scale}>
                {scoreText(fb.kind, fb.score)}
              </span>
              <div>
                <strong>{fb.kind.toUpperCase()}</strong> {fb.scale && <span class="muted small">({fb.scale})</span>}
                {fb.source && <span class="muted small"> · {fb.source}</span>}
                {fb.touchpoint && (
                  <>
                    {' '}
                    · <a href={`#ev-${fb.eventId}`}>{fb.touchpoint}</a>
                  </>
                )}
                {fb.stage && <span class="muted small"> · {stageLabel(fb.stage, lang)}</span>}
                {fb.comment && (
                  <div>
                    <q>{fb.comment}</q>
                  </div>
                )}
                <div class="muted small">{f.dateTime(fb.at)}</div>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function TicketTable({ journey, ticketEvents }: { journey: Journey; ticketEvents: Map<string, string> }) {
  const { t, f } = useView();
  return (
    <section class="card" aria-labelledby="tickets-title">
      <h2 id="tickets-title">{t('ticketsTitle')}</h2>
      {journey.tickets.length === 0 ? (
        <p class="muted">{t('noTickets')}</p>
      ) : (
        <ul class="comment-list">
          {journey.tickets.map((k) => (
            <li key={k.ticketId}>
              <span class={`score ${k.status === 'open' ? 'bad' : 'neutral'}`} aria-hidden="true">
                ✉
              </span>
              <div>
                <a href={`#ev-${ticketEvents.get(k.ticketId) ?? ''}`}>{k.subject ?? k.ticketId}</a>
                {k.touchpoint && <span class="muted small"> · {k.touchpoint}</span>}
                <div class="muted small">
                  {f.dateTime(k.openedAt)} ·{' '}
                  {k.resolutionMs !== null ? t('resolvedIn', { duration: f.duration(k.resolutionMs) }) : <span class="bad-text">{t('stillOpen')}</span>}
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function EventTable({ events, highlight, labels }: { events: CustomerEvent[]; highlight: string; labels: Map<string, string | null> }) {
  const { t, f, lang } = useView();
  const sorted = [...events].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.revision - b.revision);
  return (
    <div class="table-scroll">
      <table class="data" data-testid="event-table">
        <thead>
          <tr>
            <th scope="col">{t('time')}</th>
            <th scope="col">{t('type')}</th>
            <th scope="col">{t('details')}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((e) => (
            <tr key={e.eventId} id={`ev-${e.eventId}`} class={highlight === `ev-${e.eventId}` ? 'highlight' : ''}>
              <td class="nowrap small">
                <time dateTime={e.occurredAt}>{f.dateTime(e.occurredAt)}</time>
              </td>
              <td class="nowrap">{eventTypeLabel(e.type, lang)}</td>
              <td class="small">{describe(e, t, f, lang, labels)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function describe(e: CustomerEvent, t: Translate, f: Formats, lang: Lang, labels: Map<string, string | null>): ComponentChildren {
  const d = e.data as Record<string, unknown>;
  const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  switch (e.type) {
    case 'touchpoint.visited':
      return `${str(d.touchpoint)} (${str(d.channel)}) · ${stageLabel(str(d.stage), lang)}`;
    case 'feedback.given':
      return (
        <>
          <span class={`score small-score ${scoreClass(str(d.kind), d.score as number | boolean, str(d.scale))}`}>{str(d.score)}</span>{' '}
          {str(d.kind).toUpperCase()} ({str(d.scale)}){d.touchpoint ? ` · ${str(d.touchpoint)}` : ''}
          {d.comment ? (
            <>
              {' '}
              · <q>{str(d.comment)}</q>
            </>
          ) : null}
        </>
      );
    case 'ticket.opened':
      return `${str(d.ticketId)}${d.subject ? ` · ${str(d.subject)}` : ''}${d.touchpoint ? ` · ${str(d.touchpoint)}` : ''}`;
    case 'ticket.resolved':
      return `${str(d.ticketId)}${typeof d.resolutionMs === 'number' ? ` · ${t('resolvedIn', { duration: f.duration(d.resolutionMs) })}` : ''}`;
    case 'purchase.made':
      return `${str(d.orderId)} · ${f.money(Number(d.amount), str(d.currency) || 'VND')}`;
    case 'customer.profiled':
      return Object.entries(d)
        .map(([k, v]) => `${PROFILE_FIELDS[k] ? t(PROFILE_FIELDS[k]) : k}: ${str(v)}`)
        .join(' · ');
    case 'customer.churned':
      return str(d.reason);
    case 'stage.entered':
    case 'stage.regressed':
      return `${d.from ? `${stageLabel(str(d.from), lang)} → ` : ''}${stageLabel(str(d.stage), lang)}${typeof d.timeInPreviousStageMs === 'number' ? ` (${f.duration(d.timeInPreviousStageMs)})` : ''}`;
    case 'churn-risk.flagged':
    case 'churn-risk.cleared':
      return (
        <>
          {labels.get(str(d.rule)) ?? str(d.reason)}
          {Array.isArray(d.evidence) &&
            d.evidence.map((id) => (
              <Fragment key={String(id)}>
                {' · '}
                <a href={`#ev-${String(id)}`}>{String(id)}</a>
              </Fragment>
            ))}
        </>
      );
    default:
      return JSON.stringify(d);
  }
}
