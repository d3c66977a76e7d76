import type { Scale } from '@journeyline/journey';
import type { Survey } from '@journeyline/surveys';

/**
 * The survey page, rendered on the server as plain HTML: no script at all (it works as a form
 * without JavaScript and stays far under 30 KB), one inline style sheet, every value from a survey
 * or a link escaped. Laid out for a 360-px phone first: the scale wraps into rows of large
 * targets; a fieldset and legend name the question for screen readers; the scale's ends are
 * labelled as each metric's convention has them.
 */
export type Lang = 'vi' | 'en';

const WORDS = {
  vi: {
    title: 'Khảo sát',
    send: 'Gửi',
    thanks: 'Cảm ơn bạn đã góp ý!',
    thanksText: 'Câu trả lời của bạn đã được ghi nhận.',
    comment: 'Bạn có muốn chia sẻ thêm?',
    commentHint: 'Không bắt buộc',
    chosen: 'Điểm bạn đã chọn',
    yes: 'Có',
    no: 'Không',
    forged: 'Đường dẫn khảo sát này không hợp lệ.',
    forgedText: 'Hãy mở lại đường dẫn trong e-mail hoặc tin nhắn bạn nhận được, không sửa đổi.',
    expired: 'Đường dẫn khảo sát này đã hết hạn.',
    expiredText: 'Cảm ơn bạn đã quan tâm. Khảo sát này không còn nhận câu trả lời.',
    answered: 'Khảo sát này đã được trả lời.',
    answeredText: 'Mỗi đường dẫn chỉ nhận một câu trả lời.',
    unavailable: 'Khảo sát này không còn nữa.',
    busy: 'Hệ thống đang bận.',
    busyText: 'Vui lòng thử lại sau một phút.',
    error: 'Đã có lỗi xảy ra.',
    errorText: 'Câu trả lời chưa được ghi nhận. Vui lòng thử lại sau ít phút.',
    recorded: 'Điểm của bạn đã được ghi nhận. Bạn có thể thêm góp ý hoặc đổi điểm rồi bấm Gửi.',
    scoreMissing: 'Hãy chọn một điểm.',
  },
  en: {
    title: 'Survey',
    send: 'Send',
    thanks: 'Thank you for your feedback!',
    thanksText: 'Your answer has been recorded.',
    comment: 'Anything you would like to add?',
    commentHint: 'Optional',
    chosen: 'Your score',
    yes: 'Yes',
    no: 'No',
    forged: 'This survey link is not valid.',
    forgedText: 'Open the link from the e-mail or message you received again, unchanged.',
    expired: 'This survey link has expired.',
    expiredText: 'Thank you for your interest. This survey no longer takes answers.',
    answered: 'This survey has been answered.',
    answeredText: 'Each link takes one answer.',
    unavailable: 'This survey is no longer available.',
    busy: 'The server is busy.',
    busyText: 'Please try again in a minute.',
    error: 'Something went wrong.',
    errorText: 'Your answer was not recorded. Please try again in a few minutes.',
    recorded: 'Your score has been recorded. You can add a comment, or change the score, and press Send.',
    scoreMissing: 'Please choose a score.',
  },
} as const;

/** The words at the two ends of each metric's scale. */
const ENDS: Record<string, Record<Lang, [string, string]>> = {
  nps: { vi: ['Hoàn toàn không', 'Chắc chắn có'], en: ['Not at all likely', 'Extremely likely'] },
  csat: { vi: ['Rất không hài lòng', 'Rất hài lòng'], en: ['Very dissatisfied', 'Very satisfied'] },
  ces: { vi: ['Rất khó', 'Rất dễ'], en: ['Very difficult', 'Very easy'] },
};

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const STYLE = `*{box-sizing:border-box}body{margin:0;font:17px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;color:#0f172a;background:#f1f5f9}
main{max-width:40rem;margin:0 auto;padding:1.25rem 1rem 2rem}.card{background:#fff;border:1px solid #cbd5e1;border-radius:12px;padding:1.25rem}
h1{font-size:1.3rem;margin:0 0 1rem}fieldset{border:0;margin:0 0 1.25rem;padding:0}legend{font-weight:650;margin-bottom:.75rem;font-size:1.1rem}
.scale{display:grid;gap:.4rem}.n2{grid-template-columns:repeat(2,1fr)}.n5{grid-template-columns:repeat(5,1fr)}.n7{grid-template-columns:repeat(7,1fr)}
.n10{grid-template-columns:repeat(10,1fr)}.n11{grid-template-columns:repeat(11,1fr)}@media (max-width:34rem){.n10{grid-template-columns:repeat(5,1fr)}.n11{grid-template-columns:repeat(6,1fr)}}
.scale label{position:relative;min-width:0;min-height:2.75rem;display:flex;align-items:center;justify-content:center;border:2px solid #64748b;border-radius:8px;font-weight:650;cursor:pointer;background:#fff}
.scale input{position:absolute;opacity:0;width:1px;height:1px}.scale input:checked+span{color:#fff}.scale label:has(input:checked){background:#0f766e;border-color:#0f766e;color:#fff}
.scale input:focus-visible+span{outline:3px solid #1d4ed8;outline-offset:4px}.ends{display:flex;justify-content:space-between;gap:1rem;font-size:.9rem;color:#334155;margin-top:.4rem}
label.text{display:block;font-weight:650;margin-bottom:.4rem}.hint{font-weight:400;color:#475569}textarea{width:100%;min-height:7rem;font:inherit;padding:.6rem;border:2px solid #64748b;border-radius:8px}
textarea:focus-visible,button:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}button{margin-top:1rem;font:inherit;font-weight:650;color:#fff;background:#0f766e;border:0;border-radius:8px;padding:.7rem 1.6rem;min-height:2.75rem;cursor:pointer}
.error{color:#b91c1c;font-weight:650}.note{background:#ecfdf5;border-left:4px solid #0f766e;padding:.5rem .75rem;margin:0 0 1rem}`;

function page(lang: Lang, title: string, body: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><link rel="icon" href="data:,"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main><div class="card">${body}</div></main></body></html>`;
}

/** The scores of a scale, in order. */
export function scoresOf(scale: Scale): string[] {
  if (scale === 'yes-no') return ['true', 'false'];
  const [low, high] = scale.split('-').map(Number);
  return Array.from({ length: high - low + 1 }, (_, i) => String(low + i));
}

export interface AskPage {
  survey: Survey;
  lang: Lang;
  token: string;
  /** The score already chosen (from the e-mail link, or an answer being completed). */
  score: string | null;
  /** The score was recorded already (one click from an e-mail): the page says so and asks for the comment. */
  recorded?: boolean;
  comment?: string;
  error?: 'scoreMissing';
}

export function askPage({ survey, lang, token, score, recorded, comment, error }: AskPage): string {
  const words = WORDS[lang];
  const ends = ENDS[survey.metric]?.[lang];
  const scores = scoresOf(survey.scale);
  const options = scores
    .map((value, i) => {
      const label = survey.scale === 'yes-no' ? (value === 'true' ? words.yes : words.no) : value;
      const checked = value === score ? ' checked' : '';
      return `<label><input type="radio" name="score" value="${escapeHtml(value)}" required${checked}${i === 0 ? ' aria-describedby="ends"' : ''}><span>${escapeHtml(label)}</span></label>`;
    })
    .join('');
  const endsHtml =
    ends && survey.scale !== 'yes-no' ? `<div class="ends" id="ends"><span>${escapeHtml(ends[0])}</span><span>${escapeHtml(ends[1])}</span></div>` : '';
  const followUp = survey.followUp?.[lang] ?? words.comment;
  return page(
    lang,
    survey.question[lang],
    `<form method="post" action="/s/${escapeHtml(encodeURIComponent(token))}">` +
      `<fieldset><legend>${escapeHtml(survey.question[lang])}</legend><div class="scale n${scores.length}">${options}</div>${endsHtml}</fieldset>` +
      (error ? `<p class="error" role="alert">${escapeHtml(words[error])}</p>` : '') +
      (recorded ? `<p class="note" role="status">${escapeHtml(words.recorded)}</p>` : '') +
      `<label class="text" for="comment">${escapeHtml(followUp)} <span class="hint">(${escapeHtml(words.commentHint)})</span></label>` +
      `<textarea id="comment" name="comment" maxlength="5000">${escapeHtml(comment ?? '')}</textarea>` +
      `<input type="hidden" name="lang" value="${lang}"><input type="hidden" name="version" value="${survey.version}"><button type="submit">${escapeHtml(words.send)}</button></form>`,
  );
}

export function thanksPage(lang: Lang, survey: Survey): string {
  const words = WORDS[lang];
  return page(lang, words.thanks, `<h1>${escapeHtml(survey.thanks?.[lang] ?? words.thanks)}</h1><p>${escapeHtml(words.thanksText)}</p>`);
}

export type Refusal = 'forged' | 'expired' | 'answered' | 'unavailable' | 'busy' | 'error';

const REFUSAL_TEXT: Record<Refusal, 'forgedText' | 'expiredText' | 'answeredText' | 'busyText' | 'errorText' | null> = {
  forged: 'forgedText',
  expired: 'expiredText',
  answered: 'answeredText',
  unavailable: null,
  busy: 'busyText',
  error: 'errorText',
};

export function refusalPage(lang: Lang, refusal: Refusal): string {
  const words = WORDS[lang];
  const key = REFUSAL_TEXT[refusal];
  const text = key ? words[key] : '';
  return page(lang, words[refusal], `<h1>${escapeHtml(words[refusal])}</h1>${text ? `<p>${escapeHtml(text)}</p>` : ''}`);
}

/** The language of a link, else the browser's first known one, else Vietnamese. */
export function langOf(linkLang: Lang | null, acceptLanguage: string | undefined): Lang {
  if (linkLang) return linkLang;
  for (const part of String(acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0].trim().toLowerCase();
    if (tag.startsWith('vi')) return 'vi';
    if (tag.startsWith('en')) return 'en';
  }
  return 'vi';
}
