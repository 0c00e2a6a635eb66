import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Folders every module may use freely: shared kernel and configuration. */
const SHARED = new Set(['common', 'config']);
/** Command-line tools: composition roots like the top-level files, free to wire any module. */
const ENTRY_POINTS = new Set(['cli']);
/** Infrastructure that only adapters and module classes may use. */
const INFRASTRUCTURE = new Set(['database']);

/** One import from a file of one module to a file of another (paths relative to src/, no extension). */
export interface CrossImport {
  readonly from: string;
  readonly to: string;
}

/** The imports between module folders of `srcDir` (composition roots — top-level files and cli/ — are left out). */
export function crossImports(srcDir: string): CrossImport[] {
  const imports: CrossImport[] = [];
  for (const file of sourceFiles(srcDir)) {
    const from = relative(srcDir, file).replace(/\.ts$/, '').split(sep).join('/');
    if (!from.includes('/') || ENTRY_POINTS.has(moduleOf(from))) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
      const to = relative(srcDir, resolve(dirname(file), match[1])).split(sep).join('/');
      if (moduleOf(to) !== moduleOf(from)) imports.push({ from, to });
    }
  }
  return imports;
}

/** Imports that break the layering: into another module's adapters, services or controllers. */
export function layerViolations(imports: readonly CrossImport[]): string[] {
  return imports.filter((i) => !allowed(i)).map((i) => `${i.from} -> ${i.to}`);
}

/** Cycles between module folders, each as the modules in order. */
export function moduleCycles(imports: readonly CrossImport[]): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const { from, to } of imports) {
    const set = edges.get(moduleOf(from)) ?? new Set<string>();
    set.add(moduleOf(to));
    edges.set(moduleOf(from), set);
  }
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, path: string[]) => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'open') {
      cycles.push([...path.slice(path.indexOf(node)), node]);
      return;
    }
    state.set(node, 'open');
    for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
    state.set(node, 'done');
  };
  for (const node of edges.keys()) visit(node, []);
  return cycles;
}

function allowed({ from, to }: CrossImport): boolean {
  const target = moduleOf(to);
  if (SHARED.has(target)) return true;
  const rest = to.slice(target.length + 1);
  if (rest.startsWith('domain/') || /^[^/]+\.module$/.test(rest)) return true;
  const fromRest = from.slice(moduleOf(from).length + 1);
  return INFRASTRUCTURE.has(target) && (fromRest.startsWith('adapters/') || /^[^/]+\.module$/.test(fromRest));
}

function moduleOf(path: string): string {
  return path.split('/')[0];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}
