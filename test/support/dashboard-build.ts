import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dashboardDir } from '../../apps/server/src/dashboard/dashboard-assets';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Builds the dashboard from the current sources into dist/dashboard, as `npm run build:dashboard`
 * does; not again when scripts/test-suites.sh built it from these sources before starting the
 * suites (DASHBOARD_BUILT_FOR_TESTS=1): a second build empties dist/dashboard while the fuzz
 * suite, running beside, serves it.
 */
export function buildDashboard(): void {
  if (process.env.DASHBOARD_BUILT_FOR_TESTS === '1') return;
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'apps/dashboard/vite.config.mts', '--logLevel', 'error'],
    {
      cwd: ROOT,
      stdio: 'inherit',
      // Jest sets NODE_ENV=test, which would make Vite build the development bundle.
      env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    },
  );
}

/** A dashboard build, made now unless one exists (for tests that serve the page but do not test it). */
export function ensureDashboardBuilt(): void {
  if (!fs.existsSync(path.join(dashboardDir(), 'index.html'))) buildDashboard();
}
