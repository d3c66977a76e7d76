import type { ComponentChildren } from 'preact';
import { useErrorBoundary } from 'preact/hooks';
import type { ApiError, ApiState } from '../api';
import { useView } from '../view';
import { useAsOf } from './as-of-control';

/** A spinner; "as known on" a past moment it says why it may take seconds (the server replays the log up to it). */
export function Loading({ label }: { label?: string }) {
  const { t } = useView();
  const { asOf } = useAsOf();
  return (
    <div class="state loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {label ?? t(asOf !== null ? 'loadingAsOf' : 'loading')}
    </div>
  );
}

export function Empty({ children }: { children?: ComponentChildren }) {
  const { t } = useView();
  return <div class="state empty">{children ?? t('empty')}</div>;
}

export function ErrorMessage({ error, onRetry }: { error: ApiError | Error; onRetry?: () => void }) {
  const { t } = useView();
  const status = 'status' in error ? (error as ApiError).status : undefined;
  return (
    <div class="state error" role="alert">
      <strong>{t('errorTitle')}</strong>
      <span>{status === 0 || !error.message ? t('unreachable') : `${status ? `${status}: ` : ''}${error.message}`}</span>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

/** Renders `children(data)` once loaded; loading, error and empty states otherwise. */
export function Loaded<T>({ state, children, isEmpty }: { state: ApiState<T>; children: (data: T) => ComponentChildren; isEmpty?: (data: T) => boolean }) {
  if (state.error) return <ErrorMessage error={state.error} onRetry={state.reload} />;
  if (state.loading || state.data === undefined) return <Loading />;
  if (isEmpty?.(state.data)) return <Empty />;
  return <>{children(state.data)}</>;
}

/** A part of the page that failed to render shows a message instead of taking the page down. */
export function Guard({ children }: { children: ComponentChildren }) {
  const { t } = useView();
  const [error, reset] = useErrorBoundary((e) => console.error('dashboard: a part of the page failed to render', e));
  if (error) {
    return (
      <div class="state error" role="alert">
        <strong>{t('renderError')}</strong>
        <span>{String((error as Error)?.message ?? error)}</span>
        <button type="button" onClick={reset}>
          {t('retry')}
        </button>
      </div>
    );
  }
  return <>{children}</>;
}
