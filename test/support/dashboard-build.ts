import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dashboardDir } from '../../apps/server/src/dashboard/dashboard-assets';

const ROOT = path.resolve(__dirname, '..', '..');

/** Builds the dashboard from the current sources into dist/dashboard, as `npm run build:dashboard` does. */
export function buildDashboard(): void {
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
