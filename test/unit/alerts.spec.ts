import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PromMetrics } from '../../src/metrics/adapters/prom-metrics';

interface Rule {
  alert?: string;
  expr?: unknown;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const ALERTS = join(__dirname, '..', '..', 'docker', 'prometheus', 'alerts.yaml');

/** PromQL words that are not metric names. */
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan']);

/**
 * The metric names an expression reads: identifiers left once strings, label matchers, ranges and
 * grouping clauses are removed, that are not calls or keywords. With each, the label names its selector uses.
 */
export function metricsIn(expr: string): { name: string; labels: string[] }[] {
  const found: { name: string; labels: string[] }[] = [];
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ');
  for (const match of bare.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?\s*(\()?/g)) {
    const [, name, selector, call] = match;
    const before = bare[match.index - 1];
    if (call || KEYWORDS.has(name.toLowerCase()) || /[0-9.]/.test(before ?? '')) continue;
    found.push({ name, labels: [...(selector ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((m) => m[1]) });
  }
  return found;
}

/** What GET /metrics exposes: every sample name with the labels of its family. */
async function exported(): Promise<Map<string, Set<string> | undefined>> {
  const metrics = new PromMetrics();
  const names = new Map<string, Set<string> | undefined>();
  for (const [, family, type] of (await metrics.text()).matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const own = metrics.registry.getSingleMetric(family) as { labelNames?: string[] } | undefined;
    // The process's metrics are checked by name only.
    const labels = own ? new Set([...(own.labelNames ?? []), 'instance', 'job']) : undefined;
    const suffixes = type === 'histogram' ? ['_bucket', '_sum', '_count'] : type === 'summary' ? ['', '_sum', '_count'] : [''];
    for (const suffix of suffixes) names.set(family + suffix, suffix === '_bucket' && labels ? new Set([...labels, 'le']) : labels);
  }
  return names;
}

describe('docker/prometheus/alerts.yaml', () => {
  const rules = (parse(readFileSync(ALERTS, 'utf8')) as { groups: { name: string; rules: Rule[] }[] }).groups.flatMap((group) => group.rules);
  let names: Map<string, Set<string> | undefined>;

  beforeAll(async () => {
    names = await exported();
  });

  it('should hold the alerts the operators asked for: model errors, p99 turn latency, readiness and store errors', () => {
    const exprs = rules.map((rule) => String(rule.expr));
    expect(exprs.some((e) => e.includes('chat_model_errors_total'))).toBe(true);
    expect(exprs.some((e) => /histogram_quantile\(0\.99,.*chat_turn_duration_seconds_bucket/s.test(e))).toBe(true);
    expect(exprs.some((e) => e.includes('chat_ready'))).toBe(true);
    expect(exprs.some((e) => e.includes('chat_db_query_errors_total'))).toBe(true);
  });

  it.each(rules.map((rule) => [rule.alert ?? '(unnamed)', rule] as const))('%s: should be a complete alerting rule', (_name, rule) => {
    expect(rule.alert).toMatch(/^[A-Z][A-Za-z0-9]+$/);
    expect(typeof rule.expr).toBe('string');
    expect(rule.for).toMatch(/^\d+[smh]$/);
    expect(['page', 'warn']).toContain(rule.labels?.severity);
    expect(rule.annotations?.summary).toEqual(expect.any(String));
  });

  it.each(rules.map((rule) => [rule.alert ?? '(unnamed)', String(rule.expr)] as const))('%s: should read only metrics and labels the service exports', (_name, expr) => {
    const used = metricsIn(expr);
    expect(used.length).toBeGreaterThan(0);
    for (const { name, labels } of used) {
      expect({ name, known: names.has(name) }).toEqual({ name, known: true });
      const allowed = names.get(name);
      if (allowed) expect(labels.filter((label) => !allowed.has(label))).toEqual([]);
    }
  });

  it('should find the metrics of an expression, and only those', () => {
    expect(metricsIn('sum by (le) (rate(a_bucket{x="y z", q=~"1|2"}[5m])) / on(i) b_total > 0.5 and c')).toEqual([
      { name: 'a_bucket', labels: ['x', 'q'] },
      { name: 'b_total', labels: [] },
      { name: 'c', labels: [] },
    ]);
  });
});
