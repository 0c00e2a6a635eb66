import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CrossImport, crossImports, layerViolations, moduleCycles } from '../support/module-graph';

const ROOT = join(__dirname, '..', '..');

const PROBES: Record<string, string> = {
  'src/chat/domain/lint-probe-typeorm.ts': "import { DataSource } from 'typeorm';\nexport type Probe = DataSource;\n",
  'src/chat/domain/lint-probe-langchain.ts': "import { ChatOpenAI } from '@langchain/openai';\nexport type Probe = ChatOpenAI;\n",
  'src/chat/domain/lint-probe-cache.ts': "import type { Cache } from 'cache-manager';\nexport type Probe = Cache;\n",
  'src/chat/domain/lint-probe-express.ts': "import type { Request } from 'express';\nexport type Probe = Request;\n",
  'src/sessions/lint-probe.service.ts': "import { DataSource } from 'typeorm';\nexport type Probe = DataSource;\n",
  'src/sessions/adapters/lint-probe.ts': "import { DataSource } from 'typeorm';\nexport type Probe = DataSource;\n",
  'test/unit/lint-probe.spec.ts': "it.only('x', () => undefined);\n",
  'src/sessions/dto/lint-probe.dto.ts': "import { IsInt, IsISO8601 } from 'class-validator';\nexport const probe = [IsInt, IsISO8601];\n",
};

/** Lints the probe texts from memory with the project's ESLint configuration; no file is written. */
function lintProbes(): Record<string, string[]> {
  // ESLint loads its configuration with import(), which Jest's sandbox refuses: lint in a child process.
  const run = spawnSync(process.execPath, [join(ROOT, 'test', 'support', 'lint-text.cjs'), JSON.stringify(PROBES)], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Record<string, string[]>;
}

describe('the dependency rule', () => {
  let messages: Record<string, string[]>;

  beforeAll(() => {
    messages = lintProbes();
  }, 60_000);

  it.each(['typeorm', 'langchain', 'cache', 'express'])('should fail a domain file that imports %s', (library) => {
    expect(messages[`src/chat/domain/lint-probe-${library}.ts`]).toEqual([expect.stringContaining('belongs in an adapter')]);
  });

  it('should fail a service that imports TypeORM, and let an adapter do it', () => {
    expect(messages['src/sessions/lint-probe.service.ts']).toEqual([expect.stringContaining('belongs in an adapter')]);
    expect(messages['src/sessions/adapters/lint-probe.ts']).toEqual([]);
  });

  it('should fail a DTO that validates integers or dates with checks the stores do not share', () => {
    expect(messages['src/sessions/dto/lint-probe.dto.ts']).toEqual([expect.stringContaining('IsSafeInt'), expect.stringContaining('IsIsoMoment')]);
  });

  it('should fail a focused test', () => {
    expect(messages['test/unit/lint-probe.spec.ts']).toEqual([expect.stringContaining('no-restricted-properties')]);
  });
});

describe('the module graph', () => {
  const imports = crossImports(join(ROOT, 'src'));

  it('should have no cycle between modules', () => {
    expect(moduleCycles(imports)).toEqual([]);
  });

  it("should reach into no other module's adapters or services: only its domain/, its module class, and shared folders", () => {
    expect(layerViolations(imports)).toEqual([]);
  });

  it('should see the imports it checks (the scan is not empty)', () => {
    expect(imports).toContainEqual({ from: 'chat/chat.service', to: 'memory/domain/conversation-memory' });
  });

  it('should report a cycle and a reach into adapters when there is one', () => {
    const bad: CrossImport[] = [
      { from: 'sessions/sessions.module', to: 'chat/chat.module' },
      { from: 'chat/chat.service', to: 'sessions/domain/session' },
      { from: 'analytics/adapters/reader', to: 'sessions/adapters/rows' },
      { from: 'health/health.indicators', to: 'database/sql' },
      { from: 'sessions/adapters/sql-store', to: 'database/sql' },
    ];
    expect(moduleCycles(bad)).toEqual([['sessions', 'chat', 'sessions']]);
    expect(layerViolations(bad)).toEqual(['analytics/adapters/reader -> sessions/adapters/rows', 'health/health.indicators -> database/sql']);
  });
});
