import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The variables the service reads: every `read.<kind>('NAME'` in load-config.ts. */
function variablesRead(): string[] {
  const names = [...read('src/config/load-config.ts').matchAll(/read\.\w+\(\s*'([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]);
  return [...new Set(names)].sort();
}

describe('the configuration documentation', () => {
  const variables = variablesRead();

  it('should find the variables the service reads', () => {
    expect(variables).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'MAX_CONNECTIONS_PER_IP']));
  });

  it('should list every variable in .env.example', () => {
    const example = read('.env.example');
    expect(variables.filter((name) => !new RegExp(`^#? ?${name}=`, 'm').test(example))).toEqual([]);
  });

  it("should list every variable in the README's configuration table", () => {
    const readme = read('README.md');
    expect(variables.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});
