import { useState } from 'preact/hooks';
import type { CatalogItem } from '@journeyline/projections/touchpoint-catalog/touchpoint-catalog.queries';
import { forgetCached, useApi } from '../api';
import { Loaded } from '../components/states';
import { STAGES, stageLabel, type Lang } from '../i18n';
import type { Session } from '../session';
import { useView } from '../view';

/** The five experience types (Schmitt), as the source material names them. */
const EXPERIENCE_TYPES = ['sense', 'feel', 'think', 'act', 'relate'] as const;

const TYPE_LABELS: Record<string, Record<Lang, string>> = {
  sense: { en: 'Sense', vi: 'Giác quan' },
  feel: { en: 'Feel', vi: 'Cảm xúc' },
  think: { en: 'Think', vi: 'Tư duy' },
  act: { en: 'Act', vi: 'Hành động' },
  relate: { en: 'Relate', vi: 'Liên kết' },
};

const WORDS = {
  en: {
    title: 'Touchpoint catalog',
    note: 'Registered touchpoints with their names, owner team and the experience they serve; touchpoints seen in events but not registered yet are marked new, to classify.',
    touchpoint: 'Touchpoint',
    name: 'Name',
    channel: 'Channel',
    stage: 'Home stage',
    owner: 'Owner team',
    type: 'Experience type',
    status: 'Status',
    registered: 'v{version}',
    new: 'New',
    register: 'Register',
    edit: 'Edit',
    nameVi: 'Name (Vietnamese)',
    nameEn: 'Name (English)',
    save: 'Save',
    cancel: 'Cancel',
    saved: '{touchpoint} saved as version {version}.',
    formTitle: 'Register {touchpoint}',
  },
  vi: {
    title: 'Danh mục điểm chạm',
    note: 'Các điểm chạm đã đăng ký với tên, nhóm phụ trách và loại trải nghiệm; điểm chạm xuất hiện trong sự kiện nhưng chưa đăng ký được đánh dấu mới để phân loại.',
    touchpoint: 'Điểm chạm',
    name: 'Tên',
    channel: 'Kênh',
    stage: 'Giai đoạn chính',
    owner: 'Nhóm phụ trách',
    type: 'Loại trải nghiệm',
    status: 'Trạng thái',
    registered: 'phiên bản {version}',
    new: 'Mới',
    register: 'Đăng ký',
    edit: 'Sửa',
    nameVi: 'Tên (tiếng Việt)',
    nameEn: 'Tên (tiếng Anh)',
    save: 'Lưu',
    cancel: 'Hủy',
    saved: 'Đã lưu {touchpoint}, phiên bản {version}.',
    formTitle: 'Đăng ký {touchpoint}',
  },
} as const;

type Word = keyof (typeof WORDS)['en'];

function words(lang: Lang) {
  return (key: Word, values: Record<string, string | number> = {}) =>
    WORDS[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}

/**
 * GET /api/v1/touchpoints as a table, names in the page's language; an admin (a session whose key
 * has the admin scope) registers or edits a touchpoint with a small form (PUT with the CSRF header).
 */
export function TouchpointCatalogPage() {
  const { lang } = useView();
  const w = words(lang);
  const catalog = useApi<{ items: CatalogItem[] }>('/api/v1/touchpoints');
  const session = useApi<Session>('/api/v1/session');
  const admin = session.data?.scopes.includes('admin') ?? false;
  const [editing, setEditing] = useState<CatalogItem | null>(null);
  const [message, setMessage] = useState('');

  return (
    <>
      <div class="page-head">
        <h1>{w('title')}</h1>
        <p class="period-note">{w('note')}</p>
      </div>
      {message && (
        <p class="state" role="status">
          {message}
        </p>
      )}
      {editing && (
        <CatalogForm
          item={editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) {
              setMessage(w('saved', { touchpoint: saved.touchpoint, version: saved.version }));
              forgetCached();
              catalog.reload();
            }
          }}
        />
      )}
      <section class="card" aria-label={w('title')}>
        <Loaded state={catalog} isEmpty={(d) => d.items.length === 0}>
          {(data) => (
            <div class="table-scroll">
              <table class="data" data-testid="catalog-table">
                <thead>
                  <tr>
                    <th scope="col">{w('touchpoint')}</th>
                    <th scope="col">{w('name')}</th>
                    <th scope="col">{w('channel')}</th>
                    <th scope="col">{w('stage')}</th>
                    <th scope="col">{w('owner')}</th>
                    <th scope="col">{w('type')}</th>
                    <th scope="col">{w('status')}</th>
                    {admin && <th scope="col" />}
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((item) => (
                    <tr key={item.touchpoint} data-touchpoint={item.touchpoint} data-status={item.status}>
                      <td>
                        <code>{item.touchpoint}</code>
                      </td>
                      <td>{item.names ? item.names[lang] : '—'}</td>
                      <td>{item.channel ?? '—'}</td>
                      <td>{stageLabel(item.stage, lang)}</td>
                      <td>{item.owner ?? '—'}</td>
                      <td>{item.experienceType ? TYPE_LABELS[item.experienceType][lang] : '—'}</td>
                      <td>
                        {item.status === 'new' ? (
                          <span class="badge warn">{w('new')}</span>
                        ) : (
                          <span class="badge">{w('registered', { version: item.version })}</span>
                        )}
                      </td>
                      {admin && (
                        <td>
                          <button type="button" onClick={() => setEditing(item)}>
                            {item.status === 'new' ? w('register') : w('edit')}
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Loaded>
      </section>
    </>
  );
}

function CatalogForm({ item, onDone }: { item: CatalogItem; onDone: (saved: { touchpoint: string; version: number } | null) => void }) {
  const { lang } = useView();
  const w = words(lang);
  const [fields, setFields] = useState({
    vi: item.names?.vi ?? '',
    en: item.names?.en ?? '',
    channel: item.channel ?? '',
    stage: item.stage ?? 'awareness',
    owner: item.owner ?? '',
    experienceType: item.experienceType ?? 'feel',
  });
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (name: keyof typeof fields) => (event: Event) => setFields({ ...fields, [name]: (event.target as HTMLInputElement).value });

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    const body = {
      names: { vi: fields.vi, en: fields.en },
      channel: fields.channel,
      stage: fields.stage,
      owner: fields.owner,
      experienceType: fields.experienceType,
    };
    const response = await fetch(`/api/v1/touchpoints/${encodeURIComponent(item.touchpoint)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-journeyline-request': '1' },
      body: JSON.stringify(body),
    }).catch(() => null);
    setBusy(false);
    const answer = (await response?.json().catch(() => null)) as { touchpoint: string; version: number; message?: string } | null;
    if (!response || !response.ok) return setError(answer?.message ?? String(response?.status ?? ''));
    onDone(answer);
  };

  return (
    <section class="card" aria-label={w('formTitle', { touchpoint: item.touchpoint })}>
      <h2>{w('formTitle', { touchpoint: item.touchpoint })}</h2>
      <form class="catalog-form" onSubmit={(e) => void submit(e)} data-testid="catalog-form">
        <label>
          {w('nameVi')}
          <input name="nameVi" value={fields.vi} onInput={set('vi')} required maxLength={200} />
        </label>
        <label>
          {w('nameEn')}
          <input name="nameEn" value={fields.en} onInput={set('en')} required maxLength={200} />
        </label>
        <label>
          {w('channel')}
          <input name="channel" value={fields.channel} onInput={set('channel')} required maxLength={200} />
        </label>
        <label>
          {w('stage')}
          <select name="stage" value={fields.stage} onChange={set('stage')}>
            {STAGES.map((stage) => (
              <option key={stage} value={stage}>
                {stageLabel(stage, lang)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w('owner')}
          <input name="owner" value={fields.owner} onInput={set('owner')} required maxLength={100} />
        </label>
        <label>
          {w('type')}
          <select name="experienceType" value={fields.experienceType} onChange={set('experienceType')}>
            {EXPERIENCE_TYPES.map((type) => (
              <option key={type} value={type}>
                {TYPE_LABELS[type][lang]}
              </option>
            ))}
          </select>
        </label>
        <div>
          <button type="submit" disabled={busy}>
            {w('save')}
          </button>{' '}
          <button type="button" onClick={() => onDone(null)}>
            {w('cancel')}
          </button>
        </div>
      </form>
      {error && (
        <p class="state error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
