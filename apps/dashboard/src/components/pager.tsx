import type { ComponentChildren } from 'preact';
import { setParams } from '../router';
import { useView } from '../view';

/** First / next page links for a cursor-paged list; the cursor lives in the URL like every filter. */
export function Pager({
  label,
  cursor,
  nextCursor,
  children,
}: {
  label: string;
  cursor: string | null | undefined;
  nextCursor?: string;
  children?: ComponentChildren;
}) {
  const { t } = useView();
  return (
    <nav class="pager" aria-label={label}>
      {children}
      {cursor && (
        <button type="button" onClick={() => setParams({ cursor: null })}>
          {t('firstPage')}
        </button>
      )}
      {nextCursor && (
        <button type="button" onClick={() => setParams({ cursor: nextCursor })}>
          {t('nextPage')} →
        </button>
      )}
    </nav>
  );
}
