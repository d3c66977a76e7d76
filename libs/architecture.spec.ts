import { spawn } from 'node:child_process';
import * as path from 'node:path';

/**
 * The layering of eslint.config.mjs fails a deliberate violation and lets the allowed imports
 * through. Each case is linted with the repository's own config by ESLint's Node API
 * (`new ESLint({ cwd })`, `lintText(code, { filePath })`), as if the file were at that path.
 *
 * ESLint runs in a Node process of its own: it loads eslint.config.mjs with `import()`, which
 * jest's module sandbox refuses without --experimental-vm-modules. Only the layering rules run,
 * and the parse skips type information: the rules read import paths only, and a typed parse of
 * the whole program takes about 20 s (the typed rules, which need it, are filtered out).
 */
const ROOT = path.resolve(__dirname, '..');
const LAYERING_RULES = ['import-x/no-restricted-paths', 'no-restricted-imports'];

interface LintCase {
  filePath: string;
  code: string;
}

interface LintMessage {
  ruleId: string | null;
  severity: number;
  message: string;
}

const LINT_IN_ITS_OWN_PROCESS = `
const path = require('node:path');
const { ESLint } = require('eslint');
const [rules, cases] = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const eslint = new ESLint({
  cwd: process.cwd(),
  ruleFilter: ({ ruleId }) => rules.includes(ruleId),
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
});
(async () => {
  const answers = [];
  for (const { code, filePath } of cases) {
    const [result] = await eslint.lintText(code, { filePath: path.resolve(filePath) });
    answers.push(result.messages.map(({ ruleId, severity, message }) => ({ ruleId, severity, message })));
  }
  process.stdout.write(JSON.stringify(answers));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

function lint(cases: LintCase[]): Promise<LintMessage[][]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', LINT_IN_ITS_OWN_PROCESS], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`eslint exited ${code}: ${err}`))));
    child.stdin.end(JSON.stringify([LAYERING_RULES, cases]));
  });
}

const CASES = {
  appImportsApp: {
    filePath: 'apps/server/src/architecture-probe.ts',
    code: "import { WorkerModule } from '../../worker/src/worker.module';\nexport const m = WorkerModule;\n",
  },
  libImportsApp: {
    filePath: 'libs/platform/src/architecture-probe.ts',
    code: "import { createServer } from '../../../apps/server/src/server';\nexport const s = createServer;\n",
  },
  domainImportsNest: {
    filePath: 'libs/journey/src/architecture-probe.ts',
    code: "import { Injectable } from '@nestjs/common';\nexport const i = Injectable;\n",
  },
  domainImportsFs: { filePath: 'libs/journey/src/architecture-probe.ts', code: "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n" },
  domainImportsLib: {
    filePath: 'libs/journey/src/architecture-probe.ts',
    code: "import { loadConfig } from '@journeyline/platform';\nexport const l = loadConfig;\n",
  },
  appImportsLibAndItself: {
    filePath: 'apps/server/src/architecture-probe.ts',
    code: "import { loadConfig } from '@journeyline/platform';\nimport { createServer } from './server';\nexport const both = [loadConfig, createServer];\n",
  },
  domainImportsItself: { filePath: 'libs/journey/src/architecture-probe.ts', code: "import { STAGES } from './stages';\nexport const s = STAGES;\n" },
  domainSpecReadsFiles: {
    filePath: 'libs/journey/src/architecture-probe.spec.ts',
    code: "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
  },
} satisfies Record<string, LintCase>;

describe('the layering lint rules (eslint.config.mjs)', () => {
  const found: Partial<Record<keyof typeof CASES, LintMessage[]>> = {};

  beforeAll(async () => {
    const names = Object.keys(CASES) as (keyof typeof CASES)[];
    const answers = await lint(names.map((name) => CASES[name]));
    names.forEach((name, i) => (found[name] = answers[i]));
  }, 60_000);

  const error = (ruleId: string, message: string) => [{ ruleId, severity: 2, message: expect.stringContaining(message) }];

  it('an app importing another app is an error', () => {
    expect(found.appImportsApp).toEqual(error('import-x/no-restricted-paths', 'an app never imports another app'));
  });

  it('a lib importing an app is an error', () => {
    expect(found.libImportsApp).toEqual(error('import-x/no-restricted-paths', 'a lib never imports an app'));
  });

  it('the domain importing a framework, I/O or another lib is an error', () => {
    expect(found.domainImportsNest).toEqual(error('no-restricted-imports', 'libs/journey is pure'));
    expect(found.domainImportsFs).toEqual(error('no-restricted-imports', 'libs/journey is pure'));
    expect(found.domainImportsLib).toEqual(error('no-restricted-imports', 'libs/journey is pure'));
  });

  it('an app importing a lib and its own files, the domain importing itself, and a domain spec reading files pass', () => {
    expect([found.appImportsLibAndItself, found.domainImportsItself, found.domainSpecReadsFiles]).toEqual([[], [], []]);
  });
});
