import { STAGES, stageLabel, type Stage } from '../i18n';
import { SCORE_COLOURS, scoreClass, scoreText } from '../metrics';
import type { Journey } from '../types';
import { useView } from '../view';
import { STAGE_COLOURS } from '../pages/funnel';

const W = 1000;
const LABEL = 112;
const RIGHT = 18;
const TOP = 34;
const LANE = 44;
const HEIGHT = TOP + LANE * STAGES.length + 8;

/**
 * The journey as six swim lanes on one time line: each stay in a stage is a bar in its lane,
 * every touchpoint a dot on it, feedback a diamond above it (coloured by score), tickets a
 * square below it with a line until they were resolved, purchases ₫, churn a red line. Every
 * mark links to its event in the event list below.
 */
export function JourneyTimeline({ journey, ticketEvents }: { journey: Journey; ticketEvents: Map<string, string> }) {
  const { t, f, lang } = useView();
  const times = [
    Date.parse(journey.firstSeenAt),
    Date.parse(journey.lastSeenAt),
    ...journey.tickets.flatMap((k) => [Date.parse(k.openedAt), k.resolvedAt ? Date.parse(k.resolvedAt) : NaN]),
    ...journey.churnRisks.map((r) => Date.parse(r.flaggedAt)),
  ].filter((v) => !Number.isNaN(v));
  let t0 = Math.min(...times);
  let t1 = Math.max(...times);
  const span = Math.max(t1 - t0, 86_400_000);
  t0 -= span * 0.02;
  t1 = t0 + span * 1.04;
  const x = (iso: string | number) => LABEL + ((Number(typeof iso === 'string' ? Date.parse(iso) : iso) - t0) / (t1 - t0)) * (W - LABEL - RIGHT);
  const laneTop = (stage: Stage) => TOP + STAGES.indexOf(stage) * LANE;
  const mid = (stage: Stage) => laneTop(stage) + LANE / 2;
  const stageAt = (iso: string): Stage => {
    const at = Date.parse(iso);
    let current = journey.stages[0]?.stage ?? 'awareness';
    for (const stay of journey.stages) if (Date.parse(stay.enteredAt) <= at) current = stay.stage;
    return current;
  };
  const ticks = Array.from({ length: 6 }, (_, i) => t0 + ((t1 - t0) * (i + 0.5)) / 6);
  // A journey of a few days needs the hour on its ticks, or they all read the same date.
  const tickLabel = (ms: number) => (span < 4 * 86_400_000 ? f.dateTime(ms) : f.date(new Date(ms).toISOString()));

  return (
    <div class="timeline-scroll">
      <svg
        viewBox={`0 0 ${W} ${HEIGHT}`}
        class="timeline"
        role="group"
        aria-label={t('timelineLabel', { customer: journey.profile.name ?? journey.customerId })}
        data-testid="journey-timeline"
      >
        {STAGES.map((stage, i) => (
          <g key={stage}>
            <rect x={0} y={laneTop(stage)} width={W} height={LANE} fill={i % 2 ? '#ffffff' : '#f8fafc'} />
            <text x={LABEL - 10} y={mid(stage) + 4} text-anchor="end" class="lane-label">
              {stageLabel(stage, lang)}
            </text>
          </g>
        ))}
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={x(tick)} x2={x(tick)} y1={TOP - 4} y2={HEIGHT - 8} stroke="#e2e8f0" />
            <text x={x(tick)} y={TOP - 12} text-anchor="middle" class="tick">
              {tickLabel(tick)}
            </text>
          </g>
        ))}
        {journey.stages.map((stay, i) => {
          const next = journey.stages[i + 1];
          const end = stay.leftAt ?? t1;
          return (
            <g key={`${stay.stage}-${stay.enteredAt}`}>
              <rect
                x={x(stay.enteredAt)}
                y={mid(stay.stage) - 9}
                width={Math.max(3, x(end) - x(stay.enteredAt))}
                height={18}
                rx={4}
                fill={STAGE_COLOURS[stay.stage]}
                fill-opacity={stay.leftAt ? 0.22 : 0.12}
                stroke={STAGE_COLOURS[stay.stage]}
                stroke-dasharray={stay.leftAt ? undefined : '4 3'}
              >
                <title>{`${stageLabel(stay.stage, lang)}: ${f.dateTime(stay.enteredAt)} → ${stay.leftAt ? f.dateTime(stay.leftAt) : t('ongoing')} (${f.duration(stay.durationMs)})`}</title>
              </rect>
              {next && (
                <line
                  x1={x(next.enteredAt)}
                  x2={x(next.enteredAt)}
                  y1={mid(stay.stage)}
                  y2={mid(next.stage)}
                  stroke={next.direction === 'backward' ? '#dc2626' : '#94a3b8'}
                  stroke-width={1.5}
                  stroke-dasharray="3 3"
                />
              )}
            </g>
          );
        })}
        {journey.tickets.map((ticket) => {
          const stage = stageAt(ticket.openedAt);
          const y = mid(stage) + 14;
          const end = ticket.resolvedAt ?? t1;
          const colour = ticket.status === 'open' ? '#dc2626' : '#b45309';
          return (
            <a href={`#ev-${ticketEvents.get(ticket.ticketId) ?? ''}`} key={ticket.ticketId} aria-label={`${t('ticket')} ${ticket.ticketId}`}>
              <line
                x1={x(ticket.openedAt)}
                x2={x(end)}
                y1={y}
                y2={y}
                stroke={colour}
                stroke-width={2}
                stroke-dasharray={ticket.resolvedAt ? undefined : '3 2'}
              />
              <rect x={x(ticket.openedAt) - 4} y={y - 4} width={8} height={8} fill={colour} />
              <title>{`${t('ticket')} ${ticket.ticketId}${ticket.subject ? `: ${ticket.subject}` : ''} · ${f.dateTime(ticket.openedAt)} · ${ticket.resolutionMs !== null ? t('resolvedIn', { duration: f.duration(ticket.resolutionMs) }) : t('stillOpen')}`}</title>
            </a>
          );
        })}
        {journey.stages.flatMap((stay) =>
          stay.touchpoints.map((tp) => (
            <a href={`#ev-${tp.eventId}`} key={tp.eventId} aria-label={`${tp.touchpoint}, ${f.dateTime(tp.at)}`}>
              <circle cx={x(tp.at)} cy={mid(stay.stage)} r={5.5} fill={STAGE_COLOURS[stay.stage]} stroke="#fff" stroke-width={1.5} />
              <title>{`${tp.touchpoint} (${tp.channel}) · ${f.dateTime(tp.at)}`}</title>
            </a>
          )),
        )}
        {journey.purchases.map((p) => (
          <a href={`#ev-${p.eventId}`} key={p.eventId} aria-label={`${t('legend.purchase')} ${f.money(p.amount, p.currency)}`}>
            <circle cx={x(p.at)} cy={mid('purchase') + 14} r={7} fill="#15803d" />
            <text x={x(p.at)} y={mid('purchase') + 18} text-anchor="middle" class="glyph">
              ₫
            </text>
            <title>{`${t('legend.purchase')} ${p.orderId}: ${f.money(p.amount, p.currency)} · ${f.dateTime(p.at)}`}</title>
          </a>
        ))}
        {journey.feedback.map((fb) => {
          const stage = fb.stage ?? stageAt(fb.at);
          const cx = x(fb.at);
          const cy = mid(stage) - 14;
          return (
            <a href={`#ev-${fb.eventId}`} key={fb.eventId} aria-label={`${fb.kind.toUpperCase()} ${scoreText(fb.kind, fb.score)}`}>
              <path
                d={`M ${cx} ${cy - 6} L ${cx + 6} ${cy} L ${cx} ${cy + 6} L ${cx - 6} ${cy} Z`}
                fill={SCORE_COLOURS[scoreClass(fb.kind, fb.score, fb.scale)]}
                stroke="#fff"
              />
              <title>{`${fb.kind.toUpperCase()} ${scoreText(fb.kind, fb.score)}${fb.scale ? ` (${fb.scale})` : ''}${fb.touchpoint ? ` · ${fb.touchpoint}` : ''} · ${f.dateTime(fb.at)}${fb.comment ? ` · “${fb.comment}”` : ''}`}</title>
            </a>
          );
        })}
        {journey.churnRisks.map((risk) => (
          <a href={`#risk-${risk.episodeId}`} key={risk.episodeId} aria-label={risk.reason}>
            <path d={`M ${x(risk.flaggedAt)} ${TOP - 2} l -5 -8 h 10 z`} fill="#dc2626" />
            <title>{`${risk.reason} · ${f.dateTime(risk.flaggedAt)}`}</title>
          </a>
        ))}
        {journey.churn.churnedAt && (
          <g>
            <line x1={x(journey.churn.churnedAt)} x2={x(journey.churn.churnedAt)} y1={TOP} y2={HEIGHT - 8} stroke="#dc2626" stroke-width={2} />
            <title>{t('churnedOn', { date: f.dateTime(journey.churn.churnedAt), reason: journey.churn.reason ?? '—' })}</title>
          </g>
        )}
        {journey.churn.reactivatedAt && (
          <line x1={x(journey.churn.reactivatedAt)} x2={x(journey.churn.reactivatedAt)} y1={TOP} y2={HEIGHT - 8} stroke="#15803d" stroke-width={2} />
        )}
      </svg>
    </div>
  );
}

export function TimelineLegend() {
  const { t } = useView();
  return (
    <ul class="legend" aria-label={t('legend')}>
      <li>
        <svg width="14" height="14" aria-hidden="true">
          <circle cx="7" cy="7" r="5" fill="#6366f1" />
        </svg>
        {t('legend.touchpoint')}
      </li>
      {(['good', 'neutral', 'bad'] as const).map((c) => (
        <li key={c}>
          <svg width="14" height="14" aria-hidden="true">
            <path d="M7 1 L13 7 L7 13 L1 7 Z" fill={SCORE_COLOURS[c]} />
          </svg>
          {t(`legend.${c}`)}
        </li>
      ))}
      <li>
        <svg width="22" height="14" aria-hidden="true">
          <line x1="4" x2="22" y1="7" y2="7" stroke="#b45309" stroke-width="2" />
          <rect x="0" y="3" width="8" height="8" fill="#b45309" />
        </svg>
        {t('legend.ticket')}
      </li>
      <li>
        <svg width="14" height="14" aria-hidden="true">
          <circle cx="7" cy="7" r="6" fill="#15803d" />
        </svg>
        {t('legend.purchase')}
      </li>
      <li>
        <svg width="14" height="14" aria-hidden="true">
          <line x1="7" x2="7" y1="0" y2="14" stroke="#dc2626" stroke-width="2" />
        </svg>
        {t('legend.churn')}
      </li>
    </ul>
  );
}
