import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { apiUrl, forgetCached, useApi } from '../api';
import { Pager } from '../components/pager';
import { Loaded } from '../components/states';
import type { Lang } from '../i18n';
import { href, setParams } from '../router';
import { useView, windowParams } from '../view';

/**
 * Closing the loop ("Chăm sóc lại"): the follow-ups bad answers opened — customer, touchpoint and
 * its owner, why, the score, how long it has waited — with assign / note / resolve for an admin,
 * and how well the loop is closed over the period: follow-up rate, time to follow up, and whether
 * the customer's next answer improved. Words live here, in both languages, beside the page.
 */
interface FollowUpItem {
  followUpId: string;
  customerId: string;
  customerName: string | null;
  touchpoint: string | null;
  owner: string | null;
  reason: 'detractor' | 'hard-effort' | 'low-review';
  kind: 'nps' | 'ces' | 'review';
  score: number;
  scale: string;
  openedAt: string;
  status: 'open' | 'assigned' | 'resolved';
  assignee: string | null;
  resolvedAt: string | null;
  outcome: string | null;
}

interface FollowUpsAnswer {
  items: FollowUpItem[];
  nextCursor?: string;
}

interface NextAnswerStats {
  answeredAgain: number;
  improved: number;
  improvedRate: number | null;
}

interface FollowUpStatsAnswer {
  opened: number;
  resolved: number;
  withdrawn: number;
  followUpRate: number | null;
  medianHoursToFollowUp: number | null;
  p90HoursToFollowUp: number | null;
  nextAnswer: { sameTouchpoint: NextAnswerStats; anyTouchpoint: NextAnswerStats };
}

const WORDS = {
  en: {
    title: 'Follow-ups',
    note: 'Detractors (NPS 0-6), very hard efforts (CES in the lowest two boxes) and 1-2 star reviews each open a follow-up for the touchpoint owner. The longest waiting first.',
    statsTitle: 'Closing the loop over the period',
    rate: 'Follow-up rate',
    rateDetail: '{resolved} of {opened} resolved',
    withdrawn: '{n} withdrawn (answer replaced)',
    time: 'Time to follow up',
    timeDetail: 'median · p90 {p90}',
    improvedSame: 'Next answer improved (same touchpoint)',
    improvedAny: 'Next answer improved (anywhere)',
    improvedDetail: '{improved} of {again} who answered again',
    status: 'Status',
    all: 'All',
    'status.open': 'Open',
    'status.assigned': 'Assigned',
    'status.resolved': 'Resolved',
    owner: 'Owner',
    customer: 'Customer',
    touchpoint: 'Touchpoint',
    reason: 'Reason',
    'reason.detractor': 'Detractor',
    'reason.hard-effort': 'Very hard effort',
    'reason.low-review': '1-2 star review',
    score: 'Score',
    waiting: 'Waiting',
    assignee: 'Assignee',
    actions: 'Actions',
    assign: 'Assign',
    addNote: 'Add note',
    resolve: 'Resolve',
    outcome: 'What was done',
    save: 'Save',
    cancel: 'Cancel',
    adminOnly: 'Only an administrator can assign, note or resolve.',
    resolvedOn: 'resolved {date}',
    none: '—',
  },
  vi: {
    title: 'Chăm sóc lại',
    note: 'Khách không hài lòng (NPS 0-6), khách thấy rất khó khăn (CES ở hai mức thấp nhất) và đánh giá 1-2 sao đều mở một việc chăm sóc lại cho bộ phận phụ trách điểm chạm. Việc chờ lâu nhất ở trên.',
    statsTitle: 'Khép vòng phản hồi trong kỳ',
    rate: 'Tỷ lệ đã chăm sóc lại',
    rateDetail: '{resolved} / {opened} đã xử lý xong',
    withdrawn: '{n} đã rút (khách đổi câu trả lời)',
    time: 'Thời gian chăm sóc lại',
    timeDetail: 'trung vị · p90 {p90}',
    improvedSame: 'Lần trả lời sau tốt hơn (cùng điểm chạm)',
    improvedAny: 'Lần trả lời sau tốt hơn (mọi điểm chạm)',
    improvedDetail: '{improved} / {again} khách đã trả lời lại',
    status: 'Trạng thái',
    all: 'Tất cả',
    'status.open': 'Đang mở',
    'status.assigned': 'Đã giao',
    'status.resolved': 'Đã xử lý',
    owner: 'Bộ phận phụ trách',
    customer: 'Khách hàng',
    touchpoint: 'Điểm chạm',
    reason: 'Lý do',
    'reason.detractor': 'Khách không hài lòng',
    'reason.hard-effort': 'Rất khó khăn',
    'reason.low-review': 'Đánh giá 1-2 sao',
    score: 'Điểm',
    waiting: 'Đã chờ',
    assignee: 'Người phụ trách',
    actions: 'Thao tác',
    assign: 'Giao việc',
    addNote: 'Ghi chú',
    resolve: 'Xử lý xong',
    outcome: 'Đã làm gì',
    save: 'Lưu',
    cancel: 'Hủy',
    adminOnly: 'Chỉ quản trị viên mới giao việc, ghi chú hoặc đóng việc.',
    resolvedOn: 'xử lý xong {date}',
    none: '—',
  },
} as const;

type Word = keyof (typeof WORDS)['en'];

function words(lang: Lang) {
  return (key: Word, values: Record<string, string | number> = {}) =>
    WORDS[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

const STATUSES = ['open', 'assigned', 'resolved'] as const;

export function FollowUpsPage() {
  const view = useView();
  const { f, lang, route } = view;
  const w = words(lang);
  const status = route.params.get('status');
  const owner = route.params.get('owner');
  const cursor = route.params.get('cursor');
  const list = useApi<FollowUpsAnswer>(apiUrl('/api/v1/follow-ups', { status, owner, cursor, limit: 25 }));
  const stats = useApi<FollowUpStatsAnswer>(apiUrl('/api/v1/follow-ups/stats', windowParams(view)));
  const session = useApi<{ scopes: string[] }>('/api/v1/session');
  const admin = session.data?.scopes.includes('admin') ?? false;
  const changed = () => {
    forgetCached();
    list.reload();
    stats.reload();
  };

  return (
    <>
      <div class="page-head">
        <h1>{w('title')}</h1>
        <p class="period-note">{w('note')}</p>
      </div>
      <section aria-label={w('statsTitle')} data-testid="follow-up-stats">
        <h2 class="visually-hidden">{w('statsTitle')}</h2>
        <Loaded state={stats}>
          {(s) => (
            <div class="kpis">
              <Kpi label={w('rate')} value={s.followUpRate === null ? w('none') : `${f.number(s.followUpRate, 0)}%`}>
                {w('rateDetail', { resolved: f.number(s.resolved, 0), opened: f.number(s.opened, 0) })}
                {s.withdrawn > 0 && ` · ${w('withdrawn', { n: f.number(s.withdrawn, 0) })}`}
              </Kpi>
              <Kpi label={w('time')} value={hours(s.medianHoursToFollowUp, f.number, w('none'))}>
                {w('timeDetail', { p90: hours(s.p90HoursToFollowUp, f.number, w('none')) })}
              </Kpi>
              <NextAnswer label={w('improvedSame')} stats={s.nextAnswer.sameTouchpoint} w={w} number={f.number} />
              <NextAnswer label={w('improvedAny')} stats={s.nextAnswer.anyTouchpoint} w={w} number={f.number} />
            </div>
          )}
        </Loaded>
      </section>
      <div class="toolbar">
        <div class="segmented wrap" role="group" aria-label={w('status')}>
          <button type="button" aria-pressed={!status} onClick={() => setParams({ status: null, cursor: null })}>
            {w('all')}
          </button>
          {STATUSES.map((s) => (
            <button type="button" key={s} aria-pressed={status === s} onClick={() => setParams({ status: s, cursor: null })}>
              {w(`status.${s}`)}
            </button>
          ))}
        </div>
        {owner && (
          <button type="button" onClick={() => setParams({ owner: null, cursor: null })}>
            {w('owner')}: {owner} ✕
          </button>
        )}
      </div>
      {session.data && !admin && <p class="period-note">{w('adminOnly')}</p>}
      <section class="card" aria-label={w('title')}>
        <Loaded state={list} isEmpty={(d) => d.items.length === 0}>
          {(data) => (
            <>
              <div class="table-scroll">
                <table class="data" data-testid="follow-up-table">
                  <thead>
                    <tr>
                      <th scope="col">{w('customer')}</th>
                      <th scope="col">{w('touchpoint')}</th>
                      <th scope="col">{w('owner')}</th>
                      <th scope="col">{w('reason')}</th>
                      <th scope="col">{w('score')}</th>
                      <th scope="col">{w('waiting')}</th>
                      <th scope="col">{w('status')}</th>
                      {admin && <th scope="col">{w('actions')}</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((item) => (
                      <tr key={item.followUpId} data-follow-up={item.followUpId}>
                        <td>
                          <a href={href(`/customers/${encodeURIComponent(item.customerId)}`)}>{item.customerId}</a>
                          {item.customerName && <div class="small">{item.customerName}</div>}
                        </td>
                        <td>{item.touchpoint ?? w('none')}</td>
                        <td>{item.owner ? <a href={href('/follow-ups', { owner: item.owner, status })}>{item.owner}</a> : w('none')}</td>
                        <td>{w(`reason.${item.reason}`)}</td>
                        <td class="num">
                          {f.number(item.score, 0)}{' '}
                          <small>
                            ({item.kind.toUpperCase()} {item.scale})
                          </small>
                        </td>
                        <td class="nowrap" title={f.dateTime(item.openedAt)}>
                          {f.relative(item.openedAt)}
                        </td>
                        <td>
                          {w(`status.${item.status}`)}
                          {item.assignee && <small> · {item.assignee}</small>}
                          {item.resolvedAt && <small> · {w('resolvedOn', { date: f.dateTime(item.resolvedAt) })}</small>}
                          {item.outcome && <div class="small">{item.outcome}</div>}
                        </td>
                        {admin && <td>{item.status !== 'resolved' && <FollowUpActions item={item} w={w} onChanged={changed} />}</td>}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager label={w('title')} cursor={cursor} nextCursor={data.nextCursor} />
            </>
          )}
        </Loaded>
      </section>
    </>
  );
}

function hours(value: number | null, number: (v: number, digits?: number) => string, none: string): string {
  return value === null ? none : `${number(value, 1)} h`;
}

function Kpi({ label, value, children }: { label: string; value: string; children: ComponentChildren }) {
  return (
    <article class="card kpi">
      <header>
        <h3>{label}</h3>
      </header>
      <p class={`kpi-value ${value === '—' ? 'none' : ''}`}>{value}</p>
      <p class="small">{children}</p>
    </article>
  );
}

function NextAnswer({
  label,
  stats,
  w,
  number,
}: {
  label: string;
  stats: NextAnswerStats;
  w: ReturnType<typeof words>;
  number: (v: number, digits?: number) => string;
}) {
  return (
    <Kpi label={label} value={stats.improvedRate === null ? w('none') : `${number(stats.improvedRate, 0)}%`}>
      {w('improvedDetail', { improved: number(stats.improved, 0), again: number(stats.answeredAgain, 0) })}
    </Kpi>
  );
}

type Action = 'assign' | 'note' | 'resolve';

/** Assign, note or resolve one follow-up (PATCH /api/v1/follow-ups/:id); the server's message is shown when it refuses. */
function FollowUpActions({ item, w, onChanged }: { item: FollowUpItem; w: ReturnType<typeof words>; onChanged: () => void }) {
  const [action, setAction] = useState<Action | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!action) return;
    setBusy(true);
    setError('');
    const body = action === 'assign' ? { assignee: text } : action === 'note' ? { note: text } : { resolve: { outcome: text } };
    const response = await fetch(`/api/v1/follow-ups/${encodeURIComponent(item.followUpId)}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-journeyline-request': '1' },
      body: JSON.stringify(body),
    }).catch(() => null);
    setBusy(false);
    const answer = (await response?.json().catch(() => null)) as { message?: string } | null;
    if (!response || !response.ok) return setError(answer?.message ?? String(response?.status ?? ''));
    setAction(null);
    setText('');
    onChanged();
  };

  if (!action)
    return (
      <div class="actions">
        <button type="button" onClick={() => setAction('assign')}>
          {w('assign')}
        </button>{' '}
        <button type="button" onClick={() => setAction('note')}>
          {w('addNote')}
        </button>{' '}
        <button type="button" onClick={() => setAction('resolve')}>
          {w('resolve')}
        </button>
      </div>
    );
  const label = action === 'assign' ? w('assignee') : action === 'note' ? w('addNote') : w('outcome');
  return (
    <form onSubmit={(e) => void submit(e)} data-testid="follow-up-form">
      <label>
        {label}
        {action === 'assign' ? (
          <input name="text" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} required maxLength={200} />
        ) : (
          <textarea name="text" value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} required maxLength={4000} rows={2} />
        )}
      </label>
      <button type="submit" disabled={busy}>
        {w('save')}
      </button>{' '}
      <button type="button" onClick={() => setAction(null)}>
        {w('cancel')}
      </button>
      {error && (
        <p class="state error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
