import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

const PROBES: Record<string, string> = {
  'src/chat/domain/lint-probe-typeorm.ts': "import { DataSource } from 'typeorm';\nexport type Probe = DataSource;\n",
  'src/chat/domain/lint-probe-langchain.ts': "import { ChatOpenAI } from '@langchain/openai';\nexport type Probe = ChatOpenAI;\n",
  'src/chat/domain/lint-probe-cache.ts': "import type { Cache } from 'cache-manager';\nexport type Probe = Cache;\n",
  'src/chat/domain/lint-probe-express.ts': "import type { Request } from 'express';\nexport type Probe = Request;\n",
  'src/sessions/lint-probe.service.ts': "import { DataSource } from 'typeorm';\nexport type Probe = DataSource;\n",
  'src/sessions/adapters/lint-probe.ts': "import { DataSource } from 'typeorm';\nexport type Probe = DataSource;\n",
  'test/unit/lint-probe.spec.ts': "it.only('x', () => undefined);\n",
};

/** Lints throw-away files with the project's own ESLint configuration, through its CLI. */
function lintProbes(): Record<string, string[]> {
  for (const [path, code] of Object.entries(PROBES)) {
    mkdirSync(dirname(join(ROOT, path)), { recursive: true });
    writeFileSync(join(ROOT, path), code);
  }
  try {
    // ESLint loads its configuration with import(), which Jest's sandbox refuses: run the real CLI.
    const eslint = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
    const run = spawnSync(process.execPath, [eslint, '--format', 'json', ...Object.keys(PROBES)], { cwd: ROOT, encoding: 'utf8' });
    const results = JSON.parse(run.stdout) as { filePath: string; messages: { ruleId: string; message: string }[] }[];
    return Object.fromEntries(results.map((r) => [r.filePath.slice(ROOT.length + 1), r.messages.map((m) => `${m.ruleId}: ${m.message}`)]));
  } finally {
    for (const path of Object.keys(PROBES)) rmSync(join(ROOT, path), { force: true });
  }
}

describe('the dependency rule', () => {
  let messages: Record<string, string[]>;

  beforeAll(() => {
    messages = lintProbes();
  }, 120_000);

  it.each(['typeorm', 'langchain', 'cache', 'express'])('should fail a domain file that imports %s', (library) => {
    expect(messages[`src/chat/domain/lint-probe-${library}.ts`]).toEqual([expect.stringContaining('belongs in an adapter')]);
  });

  it('should fail a service that imports TypeORM, and let an adapter do it', () => {
    expect(messages['src/sessions/lint-probe.service.ts']).toEqual([expect.stringContaining('belongs in an adapter')]);
    expect(messages['src/sessions/adapters/lint-probe.ts']).toEqual([]);
  });

  it('should fail a focused test', () => {
    expect(messages['test/unit/lint-probe.spec.ts']).toEqual([expect.stringContaining('no-restricted-properties')]);
  });
});
