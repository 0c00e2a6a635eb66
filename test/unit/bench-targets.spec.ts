// The pure part of `npm run bench`: verdicts and bench/results.md, not the benchmark itself.
import { machineFrom, markdownTable, percentile, resultsMarkdown, TargetRow, targetRows } from '../../bench/targets.mjs';

type Row = TargetRow;

const routes = (largeP50: Record<string, number>) =>
  ['history page', 'session list', 'search', 'stats'].map((name) => ({ name, smallP50: 2, largeP50: largeP50[name] ?? 2 }));

const everything = {
  turns: { turnRps: 600, liveRps: 1000 },
  floor: { turnRps: 700 },
  postgres: { turnRps: 800, pgbenchTps: 3000 },
  scale: { sqlite: routes({}), largeLabel: '1M' },
  prune: { sqlite: { sessions: 100_000, seconds: 42.5, p99: 80, requests: 900, errors: 0 } },
  ttft: { addedP50: 2.8, addedP95: 3.9 },
  memory: { windows: 10_000, rssMb: 281 },
};

const verdictOf = (rows: Row[], start: string) => rows.find((r) => r.what.startsWith(start))?.verdict;

describe('bench targets', () => {
  it('should say met for every target a run reaches, and reported for the two without a limit', () => {
    const rows: Row[] = targetRows(everything);
    expect(rows.map((r) => r.verdict)).toEqual(['met', 'met', 'met', 'met', 'met', 'met', 'reported', 'reported']);
    expect(verdictOf(rows, 'a prune of 100,000 sessions (SQLite)')).toBe('met');
    expect(verdictOf(rows, 'RSS with 10,000 held windows')).toBe('reported');
  });

  it('should say missed at each limit crossed, and met exactly at the limit', () => {
    const rows: Row[] = targetRows({
      ...everything,
      turns: { turnRps: 499, liveRps: 1000 },
      floor: { turnRps: 499 / 0.8 + 1 },
      postgres: { turnRps: 749, pgbenchTps: 3000 },
      scale: { sqlite: routes({ search: 3.01, stats: 50 }) },
      prune: { sqlite: { ...everything.prune.sqlite, p99: 100 } },
    });
    expect(verdictOf(rows, 'turns/s vs `/api/health/live`')).toBe('missed');
    expect(verdictOf(rows, 'turns/s vs the bare floor')).toBe('missed');
    expect(verdictOf(rows, 'turns on PostgreSQL')).toBe('missed');
    expect(verdictOf(rows, 'history page, session list, search and stats')).toBe('missed');
    expect(verdictOf(rows, 'stats and search')).toBe('missed');
    expect(verdictOf(rows, 'a prune')).toBe('missed');

    const atLimit: Row[] = targetRows({ ...everything, turns: { turnRps: 500, liveRps: 1000 }, floor: { turnRps: 625 }, scale: { sqlite: routes({ search: 3 }) } });
    expect(verdictOf(atLimit, 'turns/s vs `/api/health/live`')).toBe('met');
    expect(verdictOf(atLimit, 'turns/s vs the bare floor')).toBe('met');
    expect(verdictOf(atLimit, 'history page, session list, search and stats')).toBe('met');
  });

  it('should miss the prune when other requests failed, however fast they were', () => {
    const rows: Row[] = targetRows({ ...everything, prune: { sqlite: { ...everything.prune.sqlite, p99: 5, errors: 1 } } });
    expect(verdictOf(rows, 'a prune')).toBe('missed');
  });

  it('should give no verdict on a rate whose load had failed requests (a broken floor answers errors fast)', () => {
    const rows: Row[] = targetRows({ ...everything, floor: { turnRps: 9592, errors: 47967 }, postgres: { ...everything.postgres, errors: 3 } });
    expect(verdictOf(rows, 'turns/s vs `/api/health/live`')).toBe('met');
    expect(rows.find((r) => r.what.startsWith('turns/s vs the bare floor'))).toEqual(expect.objectContaining({ verdict: 'invalid', measured: expect.stringContaining('47967 requests failed') }));
    expect(verdictOf(rows, 'turns on PostgreSQL')).toBe('invalid');
    expect(resultsMarkdown({ date: 'd', machine: { cpu: 'c', cores: 2, ramGiB: 1 }, versions: {}, settings: 's', rows, quick: false })).toContain('2 invalid (requests failed)');
  });

  it('should say not run for parts that did not run, and add PostgreSQL rows only when measured', () => {
    const none: Row[] = targetRows({});
    expect(none.map((r) => r.verdict)).toEqual(Array(8).fill('not run'));
    const both: Row[] = targetRows({
      ...everything,
      scale: { sqlite: routes({}), postgres: routes({ stats: 4 }) },
      prune: { ...everything.prune, postgres: { ...everything.prune.sqlite, p99: 150 } },
    });
    expect(both).toHaveLength(11);
    expect(verdictOf(both, 'a prune of 100,000 sessions (PostgreSQL)')).toBe('missed');
    expect(verdictOf(both, 'history page, session list, search and stats, at 10k vs 1M messages (PostgreSQL)')).toBe('missed');
    expect(verdictOf(both, 'stats and search (PostgreSQL)')).toBe('met');
  });

  it('should take percentiles by nearest rank, without reordering the samples', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect([percentile(samples, 0.5), percentile(samples, 0.99), percentile(samples, 0.1), percentile([], 0.5)]).toEqual([5, 10, 1, NaN]);
    expect(samples[0]).toBe(5);
  });

  it('should read the CPU model, cores and RAM from /proc text', () => {
    const cpuinfo = 'processor\t: 0\nmodel name\t: AMD EPYC 7B13\n\nprocessor\t: 1\nmodel name\t: AMD EPYC 7B13\n';
    expect(machineFrom(cpuinfo, 'MemTotal:        8148000 kB\nMemFree: 1 kB\n')).toEqual({ cpu: 'AMD EPYC 7B13', cores: 2, ramGiB: 7.8 });
  });

  it('should write one table with a verdict column, missed in bold, and escape pipes in cells', () => {
    const rows: Row[] = targetRows({ ...everything, turns: { turnRps: 1, liveRps: 1000 } });
    const md: string = resultsMarkdown({
      date: '2026-12-01T20:00:00.000Z',
      machine: { cpu: 'CPU', cores: 2, ramGiB: 8 },
      versions: { node: 'v20.20.2', typeorm: '1.1.1' },
      settings: '10 connections',
      rows,
      quick: true,
    });
    expect(md).toContain('- Versions: node v20.20.2, typeorm 1.1.1');
    expect(md).toContain('Quick mode');
    expect(md.match(/^\| what \| target \| measured \| verdict \|$/gm)).toHaveLength(1);
    expect(md).toContain('| **missed** |');
    expect(md).toContain('4 met, 2 missed, 2 reported, 0 not run.');
    expect(markdownTable(['a'], [['x|y']])).toBe('| a |\n| --- |\n| x\\|y |');
  });
});
