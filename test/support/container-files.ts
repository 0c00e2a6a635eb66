import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** Readers for the files under docker/: no Docker engine runs here, so they are checked as text. */

export const ROOT = join(__dirname, '..', '..');
export const DOCKER = join(ROOT, 'docker');

export function readRepoFile(...path: string[]): string {
  return readFileSync(join(ROOT, ...path), 'utf8');
}

export function readYaml<T = any>(...path: string[]): T {
  return parse(readRepoFile(...path)) as T;
}

// ---------------------------------------------------------------------------------------------
// The service's own sources: what it reads and what it serves.

/** Every variable load-config.ts reads through its EnvReader (`read.int('PORT', …)` and the like). */
export function envNamesReadByConfig(): Set<string> {
  const source = readRepoFile('src', 'config', 'load-config.ts');
  return new Set([...source.matchAll(/\bread\.\w+(?:<[^>]*>)?\(\s*'([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]));
}

/** The default of an integer variable, as load-config.ts declares it. */
export function configIntDefault(name: string): number {
  const source = readRepoFile('src', 'config', 'load-config.ts');
  const match = new RegExp(`read\\.int\\('${name}',\\s*([\\d_]+)`).exec(source);
  if (!match) throw new Error(`load-config.ts has no integer default for ${name}`);
  return Number(match[1].replaceAll('_', ''));
}

/** `/api/health/<route>` for each `@Get(...)` of the health controller, by its route name ('' for the root). */
export function healthRoutes(): Record<string, string> {
  const prefix = /setGlobalPrefix\('([^']*)'[,)]/.exec(readRepoFile('src', 'setup-app.ts'))?.[1];
  const controller = readRepoFile('src', 'health', 'health.controller.ts');
  const base = /@Controller\('([^']*)'\)/.exec(controller)?.[1];
  if (prefix === undefined || base === undefined) throw new Error('cannot find the health routes');
  const routes: Record<string, string> = {};
  for (const [, sub = ''] of controller.matchAll(/@Get\((?:'([^']*)')?\)/g)) routes[sub] = posix.join('/', prefix, base, sub);
  return routes;
}

// ---------------------------------------------------------------------------------------------
// Dockerfile

export interface DockerInstruction {
  keyword: string;
  args: string;
}

export interface DockerStage {
  from: string;
  name?: string;
  instructions: DockerInstruction[];
}

/** Splits a Dockerfile into stages of instructions: comments dropped, `\` continuations joined. */
export function parseDockerfile(text: string): DockerStage[] {
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const stages: DockerStage[] = [];
  for (const line of logical) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    const instruction = { keyword: keyword.toUpperCase(), args: args.replace(/\s+/g, ' ') };
    if (instruction.keyword === 'FROM') {
      const [, from, name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(instruction.args)!;
      stages.push({ from, name, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

export function instructionsOf(stage: DockerStage, keyword: string): string[] {
  return stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
}

/** `ENV A=1 B="two"` (the only ENV form used here) as a map. */
export function stageEnv(stage: DockerStage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const args of instructionsOf(stage, 'ENV')) {
    for (const [, name, value] of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) env[name] = value.replace(/^"|"$/g, '');
  }
  return env;
}

// ---------------------------------------------------------------------------------------------
// nginx

export interface NginxDirective {
  name: string;
  args: string[];
  block?: NginxDirective[];
}

/** Parses nginx's configuration syntax (directives, `{}` blocks, quotes, `#` comments) into a tree. */
export function parseNginx(text: string): NginxDirective[] {
  const tokens = [...text.replace(/#[^\n]*/g, '').matchAll(/"([^"]*)"|'([^']*)'|([{};])|([^\s{};"']+)/g)].map((m) => ({
    text: m[1] ?? m[2] ?? m[3] ?? m[4],
    punct: m[3] !== undefined,
  }));
  let at = 0;
  const block = (nested: boolean): NginxDirective[] => {
    const directives: NginxDirective[] = [];
    while (at < tokens.length) {
      if (tokens[at].punct && tokens[at].text === '}') {
        if (!nested) throw new Error('nginx: unexpected "}"');
        at += 1;
        return directives;
      }
      const [name, ...args] = collectUntilPunct();
      const end = tokens[at++];
      if (!end) throw new Error(`nginx: "${name}" is not terminated`);
      if (end.text === '{') directives.push({ name, args, block: block(true) });
      else if (end.text === ';') directives.push({ name, args });
      else throw new Error(`nginx: unexpected "${end.text}" after "${name}"`);
    }
    if (nested) throw new Error('nginx: a block is not closed');
    return directives;
  };
  const collectUntilPunct = (): string[] => {
    const words: string[] = [];
    while (at < tokens.length && !tokens[at].punct) words.push(tokens[at++].text);
    if (words.length === 0) throw new Error('nginx: a directive has no name');
    return words;
  };
  return block(false);
}

export function nginxFind(directives: NginxDirective[] | undefined, name: string): NginxDirective[] {
  return (directives ?? []).filter((d) => d.name === name);
}

// ---------------------------------------------------------------------------------------------
// Kubernetes

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [field: string]: any;
}

export const K8S_DIR = join(DOCKER, 'k8s');

export function k8sManifestFiles(): string[] {
  return readdirSync(K8S_DIR)
    .filter((file) => /\.ya?ml$/.test(file) && file !== 'kustomization.yaml')
    .sort();
}

export function k8sObjects(): K8sObject[] {
  return k8sManifestFiles().flatMap((file) =>
    parseAllDocuments(readFileSync(join(K8S_DIR, file), 'utf8'))
      .map((doc) => {
        if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
        return doc.toJSON() as K8sObject | null;
      })
      .filter((object): object is K8sObject => object !== null),
  );
}

/** A Kubernetes quantity (`512Mi`, `250m`, `1`) as a number of bytes or cores. */
export function quantity(value: string | number): number {
  const [, number, unit = ''] = /^([\d.]+)([A-Za-z]*)$/.exec(String(value)) ?? [];
  const units: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 };
  if (number === undefined || !(unit in units)) throw new Error(`not a quantity: ${value}`);
  return Number(number) * units[unit];
}

// ---------------------------------------------------------------------------------------------
// Compose

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string } | string;
  environment?: Record<string, string | number | null> | string[];
  healthcheck?: { test: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition: string }> | string[];
  volumes?: (string | { type: string; source?: string; target: string })[];
  deploy?: { replicas?: number; resources?: { limits?: Record<string, string> } };
  ports?: string[];
  profiles?: string[];
  [field: string]: any;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export function composeEnv(service: ComposeService): Record<string, string> {
  const raw = service.environment ?? {};
  const entries = Array.isArray(raw) ? raw.map((line) => line.split(/=(.*)/s, 2)) : Object.entries(raw);
  return Object.fromEntries(entries.map(([name, value]) => [name, value === null || value === undefined ? '' : String(value)]));
}

export function healthcheckCommand(service: ComposeService): string {
  const test = service.healthcheck?.test;
  if (!test || service.healthcheck?.disable) return '';
  return Array.isArray(test) ? test.filter((word) => word !== 'CMD' && word !== 'CMD-SHELL').join(' ') : test;
}

/** `name:/path` and `{type: volume, source}` mounts that name a volume (not a host path). */
export function namedVolumeSources(service: ComposeService): string[] {
  return (service.volumes ?? [])
    .map((mount) => (typeof mount === 'string' ? mount.split(':')[0] : mount.type === 'volume' ? mount.source : undefined))
    .filter((source): source is string => !!source && !/^[./~$]/.test(source));
}

/** Host paths mounted into a service, resolved against the compose file's folder. */
export function boundHostFiles(service: ComposeService, composeDir: string): { source: string; target: string }[] {
  return (service.volumes ?? [])
    .map((mount) => (typeof mount === 'string' ? { source: mount.split(':')[0], target: mount.split(':')[1] } : { source: mount.source ?? '', target: mount.target }))
    .filter(({ source }) => /^\.{1,2}\//.test(source))
    .map(({ source, target }) => ({ source: join(composeDir, source), target }));
}

export function dependsOn(service: ComposeService): Record<string, string | undefined> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([name, spec]) => [name, spec?.condition]));
}
