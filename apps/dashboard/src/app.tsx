import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { useApi } from './api';
import { ViewControls } from './components/controls';
import { ErrorMessage, Guard, Loading } from './components/states';
import type { MessageKey } from './i18n';
import { ChurnRisksPage } from './pages/churn-risks';
import { CustomerJourneyPage } from './pages/customer-journey';
import { CustomersPage } from './pages/customers';
import { FunnelPage } from './pages/funnel';
import { FollowUpsPage } from './pages/follow-ups';
import { OverviewPage } from './pages/overview';
import { TouchpointsPage } from './pages/touchpoints';
import { TouchpointCatalogPage } from './pages/touchpoint-catalog';
import { followLink, href, useRoute, type Route } from './router';
import { useMetricDefinitions } from './metrics';
import { SignIn } from './components/sign-in';
import { useSession, type Session } from './session';
import type { DefinitionsAnswer, Health } from './types';
import { buildView, useView, ViewContext } from './view';

const NAV: { path: string; key: MessageKey }[] = [
  { path: '/', key: 'page.overview' },
  { path: '/touchpoints', key: 'page.touchpoints' },
  { path: '/catalog', key: 'page.catalog' },
  { path: '/funnel', key: 'page.funnel' },
  { path: '/customers', key: 'page.customers' },
  { path: '/churn-risks', key: 'page.churn' },
  { path: '/follow-ups', key: 'page.followUps' },
];

function pageOf(route: Route): { key: MessageKey; section: string; element: JSX.Element; period?: boolean } {
  const journey = /^\/customers\/(.+)$/.exec(route.path);
  if (journey) return { key: 'page.journey', section: '/customers', element: <CustomerJourneyPage customerId={decodeURIComponent(journey[1])} /> };
  switch (route.path) {
    case '/':
      return { key: 'page.overview', section: '/', element: <OverviewPage />, period: true };
    case '/touchpoints':
      return { key: 'page.touchpoints', section: '/touchpoints', element: <TouchpointsPage />, period: true };
    case '/catalog':
      return { key: 'page.catalog', section: '/catalog', element: <TouchpointCatalogPage /> };
    case '/funnel':
      return { key: 'page.funnel', section: '/funnel', element: <FunnelPage />, period: true };
    case '/customers':
      return { key: 'page.customers', section: '/customers', element: <CustomersPage /> };
    case '/churn-risks':
      return { key: 'page.churn', section: '/churn-risks', element: <ChurnRisksPage /> };
    case '/follow-ups':
      return { key: 'page.followUps', section: '/follow-ups', element: <FollowUpsPage />, period: true };
    default:
      return { key: 'page.notFound', section: '', element: <NotFound /> };
  }
}

export function App() {
  const route = useRoute();
  const { state: session, signIn, signOut } = useSession();
  const signedIn = session.status === 'signed-in';
  const health = useApi<Health>('/health');
  const definitions = useApi<DefinitionsAnswer>(signedIn ? '/api/v1/metrics/definitions' : null);
  const ready = useMetricDefinitions(definitions.data);
  // Until the server says which zone it buckets days in, the browser's zone stands in.
  const serverTimeZone = health.data?.timeZone ?? (health.error ? Intl.DateTimeFormat().resolvedOptions().timeZone : '');
  const view = buildView(route, serverTimeZone || 'UTC');
  const page = pageOf(route);

  useEffect(() => {
    document.documentElement.lang = view.lang;
    document.title = `${view.t(page.key)} · Journeyline`;
  }, [view.lang, page.key]);

  return (
    <ViewContext.Provider value={view}>
      <div class="shell" onClick={followLink}>
        <a class="skip" href="#main">
          {view.lang === 'vi' ? 'Bỏ qua tới nội dung' : 'Skip to content'}
        </a>
        <header class="top">
          <div class="brand">
            <a href={href('/')} aria-label="Journeyline">
              <img src="/favicon.svg" alt="" width="28" height="28" />
              <span>Journeyline</span>
            </a>
            <small>{view.t('tagline')}</small>
          </div>
          <nav aria-label={view.t('navLabel')}>
            <ul>
              {NAV.map((item) => (
                <li key={item.path}>
                  <a href={href(item.path)} aria-current={page.section === item.path ? 'page' : undefined}>
                    {view.t(item.key)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <ViewControls period={Boolean(page.period)} />
          {signedIn && <SignedInAs session={session.session} onSignOut={signOut} />}
        </header>
        <main id="main" tabIndex={-1}>
          {health.error && <ErrorMessage error={health.error} onRetry={health.reload} />}
          {session.status === 'checking' ? (
            <Loading />
          ) : session.status === 'signed-out' ? (
            <SignIn onSignIn={signIn} error={session.error} />
          ) : (
            <>
              {definitions.error && <ErrorMessage error={definitions.error} onRetry={definitions.reload} />}
              {!serverTimeZone || !ready ? <Loading /> : <Guard key={route.path}>{page.element}</Guard>}
            </>
          )}
        </main>
        <footer class="bottom">
          <span>
            {view.t('timeZone')}: {view.f.zoneName()}
          </span>
          <span>
            Journeyline · <a href="/health">/health</a>
          </span>
        </footer>
      </div>
    </ViewContext.Provider>
  );
}

function SignedInAs({ session, onSignOut }: { session: Session; onSignOut: () => Promise<void> }) {
  const { t } = useView();
  return (
    <div class="who">
      <span>{t('signedInAs', { name: session.name })}</span>
      <button type="button" onClick={() => void onSignOut()}>
        {t('signOut')}
      </button>
    </div>
  );
}

function NotFound() {
  const { t, route } = useView();
  return (
    <section class="card">
      <h1>{t('page.notFound')}</h1>
      <p>
        <code>{route.path}</code> — {t('notFoundText')}
      </p>
    </section>
  );
}
