import type { CustomerCommand, Stage } from '@journeyline/journey';

/**
 * Plausible customer journeys for demos, tests and benchmarks, deterministic for a seed:
 * Vietnamese names and regions, the six stages with realistic drop-off, a few touchpoints that
 * are clearly worse than the rest, support tickets, and detractors who are likelier to churn.
 * Yields each customer's commands in time order; callers interleave or batch them as they like.
 */
export interface GeneratorOptions {
  customers: number;
  seed?: number;
  /** Journeys start between `start` and `start + spanDays`. */
  start?: Date;
  spanDays?: number;
  /** Prefix of customer ids (default `c-`). */
  idPrefix?: string;
  /** Average touchpoint visits per stage (default 1.6). */
  visitsPerStage?: number;
}

interface Touchpoint {
  touchpoint: string;
  channel: string;
  /** Mean NPS-ish satisfaction 0..10 at this touchpoint. */
  mood: number;
}

const TOUCHPOINTS: Record<Stage, Touchpoint[]> = {
  awareness: [
    { touchpoint: 'facebook-ad', channel: 'social', mood: 7.5 },
    { touchpoint: 'zalo-oa', channel: 'social', mood: 8 },
    { touchpoint: 'google-search', channel: 'web', mood: 7.5 },
    { touchpoint: 'email:tet-campaign', channel: 'email', mood: 7 },
    { touchpoint: 'tiktok-video', channel: 'social', mood: 7.8 },
  ],
  evaluation: [
    { touchpoint: 'web:pricing', channel: 'web', mood: 7.2 },
    { touchpoint: 'web:reviews', channel: 'web', mood: 7.8 },
    { touchpoint: 'sales-call', channel: 'phone', mood: 8.2 },
    { touchpoint: 'store:hcm-q1', channel: 'store', mood: 8.4 },
  ],
  choice: [
    { touchpoint: 'web:cart', channel: 'web', mood: 7.6 },
    { touchpoint: 'app:trial', channel: 'mobile', mood: 7.9 },
    { touchpoint: 'quote:b2b', channel: 'email', mood: 7.4 },
  ],
  purchase: [
    { touchpoint: 'web:checkout', channel: 'web', mood: 5.2 }, // clearly worse: payment failures
    { touchpoint: 'store:hcm-q1', channel: 'store', mood: 8.6 },
    { touchpoint: 'store:hn-hoankiem', channel: 'store', mood: 8.3 },
    { touchpoint: 'app:checkout', channel: 'mobile', mood: 7.8 },
  ],
  use: [
    { touchpoint: 'app:onboarding', channel: 'mobile', mood: 7.9 },
    { touchpoint: 'hotline', channel: 'phone', mood: 4.8 }, // clearly worse: long waits
    { touchpoint: 'chat:support', channel: 'chat', mood: 7.4 },
    { touchpoint: 'delivery', channel: 'logistics', mood: 6.0 },
  ],
  advocacy: [
    { touchpoint: 'referral:link', channel: 'web', mood: 9.2 },
    { touchpoint: 'review:google', channel: 'web', mood: 8.8 },
    { touchpoint: 'zalo-share', channel: 'social', mood: 9 },
  ],
};

/** Share of customers in a stage who move on to the next one. */
const CONTINUE: Record<Stage, number> = { awareness: 0.62, evaluation: 0.58, choice: 0.7, purchase: 0.88, use: 0.35, advocacy: 0 };
const STAGE_ORDER: Stage[] = ['awareness', 'evaluation', 'choice', 'purchase', 'use', 'advocacy'];

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Thanh', 'Đức', 'Hữu', 'Gia', 'Bảo', 'Khánh'];
const GIVEN = [
  'An',
  'Bình',
  'Chi',
  'Dũng',
  'Giang',
  'Hà',
  'Hải',
  'Hạnh',
  'Hoa',
  'Hùng',
  'Hương',
  'Khoa',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Nam',
  'Ngân',
  'Phúc',
  'Quân',
  'Quỳnh',
  'Sơn',
  'Tâm',
  'Thảo',
  'Trang',
  'Trung',
  'Tuấn',
  'Vy',
  'Yến',
];
const REGIONS = ['Hồ Chí Minh', 'Hà Nội', 'Đà Nẵng', 'Hải Phòng', 'Cần Thơ', 'Bình Dương', 'Đồng Nai', 'Khánh Hòa', 'Nghệ An', 'Thừa Thiên Huế'];
const REGION_WEIGHTS = [30, 25, 8, 6, 6, 7, 6, 4, 4, 4];
const SEGMENTS = ['Cá nhân', 'Hộ kinh doanh', 'SME', 'Doanh nghiệp'];
const AGE_BANDS = ['18-24', '25-34', '35-44', '45-54', '55+'];
const COMMENTS_GOOD = ['Nhân viên hỗ trợ nhanh', 'Giao hàng đúng hẹn', 'Ứng dụng dễ dùng', 'Rất hài lòng', 'Sẽ giới thiệu cho bạn bè'];
const COMMENTS_BAD = ['Chờ tổng đài quá lâu', 'Thanh toán bị lỗi nhiều lần', 'Giao hàng trễ', 'Nhân viên không nắm thông tin', 'Giá cao so với chất lượng'];
const CHURN_REASONS = ['Chuyển sang đối thủ', 'Giá cao', 'Dịch vụ hỗ trợ kém', 'Không còn nhu cầu'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** mulberry32: small, fast, good enough for test data, and the same on every machine (the benchmarks and the fault tests draw from it too). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function* generateJourneys(options: GeneratorOptions): Generator<CustomerCommand[]> {
  const rand = seededRandom(options.seed ?? 42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const weighted = <T>(list: readonly T[], weights: number[]) => {
    let r = rand() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < list.length; i++) if ((r -= weights[i]) < 0) return list[i];
    return list[list.length - 1];
  };
  const start = (options.start ?? new Date(Date.UTC(2026, 0, 1))).getTime();
  const span = (options.spanDays ?? 300) * DAY;
  const prefix = options.idPrefix ?? 'c-';
  const visitsPerStage = options.visitsPerStage ?? 1.6;

  for (let i = 0; i < options.customers; i++) {
    const customerId = `${prefix}${String(i + 1).padStart(6, '0')}`;
    const commands: CustomerCommand[] = [];
    let n = 0;
    const id = () => `${customerId}-e${++n}`;
    let t = start + Math.floor(rand() * span);
    const push = (command: Omit<CustomerCommand, 'eventId' | 'customerId' | 'occurredAt'>) => {
      commands.push({ ...command, eventId: id(), customerId, occurredAt: new Date(t).toISOString() } as CustomerCommand);
    };
    const acquisition = pick(TOUCHPOINTS.awareness);
    const name = `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
    push({
      type: 'ProfileCustomer',
      data: {
        name,
        segment: weighted(SEGMENTS, [50, 20, 22, 8]),
        region: weighted(REGIONS, REGION_WEIGHTS),
        ageBand: pick(AGE_BANDS),
        acquisitionChannel: acquisition.channel,
      },
    });
    let mood = 0;
    let moodCount = 0;
    let purchased = false;
    for (const stage of STAGE_ORDER) {
      const visits = 1 + Math.floor(rand() * visitsPerStage * 1.3);
      for (let v = 0; v < visits; v++) {
        const tp = stage === 'awareness' && v === 0 ? acquisition : pick(TOUCHPOINTS[stage]);
        t += Math.floor(rand() * 3 * DAY) + HOUR;
        push({ type: 'RecordTouchpointVisit', data: { touchpoint: tp.touchpoint, channel: tp.channel, stage } });
        if (stage === 'purchase' && !purchased) {
          t += 10 * 60_000;
          push({ type: 'RecordPurchase', data: { orderId: `${customerId}-o1`, amount: Math.round(200 + rand() * 5000) * 1000, currency: 'VND' } });
          purchased = true;
        }
        if (rand() < 0.35) {
          const score = clamp(Math.round(tp.mood + (rand() + rand() + rand() - 1.5) * 3.2), 0, 10);
          mood += score;
          moodCount++;
          t += 30 * 60_000;
          const comment = rand() < 0.3 ? (score >= 7 ? pick(COMMENTS_GOOD) : pick(COMMENTS_BAD)) : undefined;
          push({
            type: 'RecordFeedback',
            data: { kind: 'nps', score, scale: '0-10', touchpoint: tp.touchpoint, channel: tp.channel, stage, ...(comment ? { comment } : {}) },
          });
          if (rand() < 0.5) {
            const csat = clamp(Math.round(1 + (score / 10) * 4 + (rand() - 0.5)), 1, 5);
            push({ type: 'RecordFeedback', data: { kind: 'csat', score: csat, scale: '1-5', touchpoint: tp.touchpoint, channel: tp.channel, stage } });
          }
          if (stage === 'use' || stage === 'purchase') {
            const effort = clamp(Math.round(1 + (score / 10) * 6 + (rand() - 0.5) * 2), 1, 7);
            push({ type: 'RecordFeedback', data: { kind: 'ces', score: effort, scale: '1-7', touchpoint: tp.touchpoint, channel: tp.channel, stage } });
          }
        }
        if (stage === 'use' && rand() < (tp.touchpoint === 'hotline' ? 0.5 : 0.15)) {
          const ticketId = `${customerId}-t${n}`;
          push({
            type: 'OpenTicket',
            data: {
              ticketId,
              touchpoint: tp.touchpoint,
              channel: tp.channel,
              subject: pick(['Không đăng nhập được', 'Hỏi về hóa đơn', 'Đổi trả sản phẩm', 'Lỗi thanh toán']),
            },
          });
          if (rand() < 0.9) {
            const slow = tp.touchpoint === 'hotline' ? 30 : 6;
            t += Math.floor((0.5 + rand() * slow) * HOUR);
            push({ type: 'ResolveTicket', data: { ticketId } });
          }
        }
      }
      const unhappy = moodCount > 0 && mood / moodCount < 6.5;
      if (rand() >= CONTINUE[stage] * (unhappy ? 0.6 : 1)) {
        if (purchased && rand() < (unhappy ? 0.55 : 0.12)) {
          t += Math.floor((10 + rand() * 60) * DAY);
          push({ type: 'RecordChurn', data: { reason: pick(CHURN_REASONS) } });
          if (rand() < 0.15) {
            t += Math.floor((20 + rand() * 60) * DAY);
            push({ type: 'ReactivateCustomer', data: {} });
          }
        }
        break;
      }
      t += Math.floor(rand() * 5 * DAY);
    }
    yield commands;
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(high, value));
}
