import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Where the built dashboard lives (`dist/dashboard` at the repository root, written by
 * `npm run build:dashboard`) and how its files are answered. Found by walking up from this file,
 * so it is the same whether the server runs from `dist/` or from source under a test runner.
 */
export function dashboardDir(from = __dirname): string {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'apps', 'server'))) return path.join(dir, 'dist', 'dashboard');
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve('dist', 'dashboard');
    dir = parent;
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Paths the API owns: an unknown one is a JSON 404, never the dashboard page. */
export function isApiPath(urlPath: string): boolean {
  return /^\/(api|v1|health|metrics)(\/|$)/.test(urlPath);
}

/**
 * The file under `root` a request path names, or null when it names none (or tries to leave
 * `root`). Hashed build output under `/assets/` can be cached for ever; nothing else can.
 */
export function resolveAsset(root: string, urlPath: string): { file: string; immutable: boolean } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = path.posix.normalize(decoded).replace(/^\/+/, '');
  if (relative === '' || relative.startsWith('..')) return null;
  const file = path.join(root, relative);
  if (!file.startsWith(root + path.sep)) return null;
  try {
    if (!fs.statSync(file).isFile()) return null;
  } catch {
    return null;
  }
  return { file, immutable: relative.startsWith('assets/') };
}
