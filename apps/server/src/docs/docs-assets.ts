import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where the browsable document lives; its files are under it. */
export const DOCS_PATH = '/api/docs';
export const DOCS_JSON_PATH = '/api/docs-json';

/**
 * The Swagger UI page: its scripts are files of this origin (the Content-Security-Policy allows no
 * inline script), the plain layout without the top bar (no box to load another site's document
 * into this origin), and no call to an outside validator.
 */
export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Journeyline API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
<link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png" sizes="32x32">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS_PATH}/swagger-ui-bundle.js" charset="utf-8"></script>
<script src="${DOCS_PATH}/journeyline-docs.js" charset="utf-8"></script>
</body>
</html>
`;

const INITIALIZER = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(DOCS_JSON_PATH)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    layout: 'BaseLayout',
    validatorUrl: null,
    persistAuthorization: false,
    queryConfigEnabled: false,
  });
});
`;

/** The files the page loads, by name: Swagger UI's own (swagger-ui-dist) and the initializer above. */
const FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const loaded = new Map<string, Buffer>();

/** A file of the page, read once and kept (about 1.5 MB, sent compressed), or null for any other name. */
export function docsAsset(name: string): { type: string; body: Buffer } | null {
  if (name === 'journeyline-docs.js') return { type: 'application/javascript; charset=utf-8', body: Buffer.from(INITIALIZER) };
  if (!Object.prototype.hasOwnProperty.call(FILES, name)) return null;
  let body = loaded.get(name);
  if (!body) {
    body = fs.readFileSync(path.join(path.dirname(require.resolve('swagger-ui-dist/package.json')), name));
    loaded.set(name, body);
  }
  return { type: FILES[name], body };
}
