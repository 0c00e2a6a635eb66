// The pure part of the benchmark: the targets of issue 14, their verdicts, and bench/results.md.
// No I/O here (run.mjs measures and reads the machine), so a unit test can check the verdicts.

/** Largest p50 ratio, 1M messages against 10k, that counts as flat. */
export const SCALING_LIMIT = 1.5;
/** Stats and search p50 at 1M messages, ms. */
export const LATENCY_LIMIT_MS = 50;
/** p99 of other requests while a prune runs, ms. */
export const PRUNE_P99_LIMIT_MS = 100;

/** The p-th quantile (0 < p ≤ 1) of samples, nearest rank; NaN when there are none. */
export function percentile(samples, p) {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

const ratio = (a, b) => (b > 0 ? a / b : NaN);
const ms = (n) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
const times = (n) => `${n.toFixed(2)}×`;
const missing = (what, target) => ({ what, target, measured: 'not run', verdict: 'not run' });
const judged = (what, target, measured, met) => ({ what, target, measured, verdict: met ? 'met' : 'missed' });
/** Throughput with failed requests measures the failures: such a row is no verdict at all. */
const failures = (...runs) => runs.reduce((sum, run) => sum + (run?.errors ?? 0), 0);
const invalid = (what, target, errors) => ({ what, target, measured: `${errors} requests failed: the rate measures nothing`, verdict: 'invalid' });

function turnsVsLive(m) {
  const what = 'turns/s vs `/api/health/live` on the same server';
  if (!m.turns) return missing(what, '≥ 0.5×');
  if (failures(m.turns)) return invalid(what, '≥ 0.5×', failures(m.turns));
  const r = ratio(m.turns.turnRps, m.turns.liveRps);
  return judged(what, '≥ 0.5×', `${times(r)} (${m.turns.turnRps} vs ${m.turns.liveRps} req/s)`, r >= 0.5);
}

function turnsVsFloor(m) {
  const what = 'turns/s vs the bare floor';
  if (!m.turns || !m.floor) return missing(what, '≥ 0.8×');
  if (failures(m.turns, m.floor)) return invalid(what, '≥ 0.8×', failures(m.turns, m.floor));
  const r = ratio(m.turns.turnRps, m.floor.turnRps);
  return judged(what, '≥ 0.8×', `${times(r)} (${m.turns.turnRps} vs ${m.floor.turnRps} turns/s)`, r >= 0.8);
}

function turnsVsPgbench(m) {
  const what = 'turns on PostgreSQL vs `pgbench -N` tps / 2, same run';
  if (!m.postgres) return missing(what, '≥ 0.5');
  if (failures(m.postgres)) return invalid(what, '≥ 0.5', failures(m.postgres));
  const r = ratio(m.postgres.turnRps, m.postgres.pgbenchTps / 2);
  return judged(what, '≥ 0.5', `${r.toFixed(2)} (${m.postgres.turnRps} turns/s, pgbench ${Math.round(m.postgres.pgbenchTps)} tps)`, r >= 0.5);
}

/** One row per store: every route's p50 at the large corpus within SCALING_LIMIT of the small one's. */
function scaling(store, routes) {
  const what = `history page, session list, search and stats, at 10k vs 1M messages (${store})`;
  const target = `p50 within ${SCALING_LIMIT}×`;
  if (!routes || routes.length === 0) return missing(what, target);
  const ratios = routes.map((r) => ({ ...r, ratio: ratio(r.largeP50, r.smallP50) }));
  const measured = ratios.map((r) => `${r.name} ${ms(r.smallP50)} → ${ms(r.largeP50)} (${times(r.ratio)})`).join('; ');
  return judged(what, target, measured, ratios.every((r) => r.ratio <= SCALING_LIMIT));
}

function latencyAtLarge(store, routes, largeLabel) {
  const what = `stats and search (${store})`;
  const target = `p50 < ${LATENCY_LIMIT_MS} ms at ${largeLabel}`;
  const picked = (routes ?? []).filter((r) => r.name === 'stats' || r.name === 'search');
  if (picked.length < 2) return missing(what, target);
  return judged(what, target, picked.map((r) => `${r.name} ${ms(r.largeP50)}`).join('; '), picked.every((r) => r.largeP50 < LATENCY_LIMIT_MS));
}

function prune(store, run) {
  const target = `time it; other requests' p99 < ${PRUNE_P99_LIMIT_MS} ms while it runs`;
  const what = `a prune of ${run ? run.sessions.toLocaleString('en') : '100,000'} sessions (${store})`;
  if (!run) return missing(what, target);
  const { seconds, p99, requests, errors } = run;
  const measured = `${seconds.toFixed(1)} s; ${requests} other requests, p99 ${p99} ms, ${errors} errors`;
  return judged(what, target, measured, p99 < PRUNE_P99_LIMIT_MS && errors === 0);
}

function firstToken(m) {
  const what = "time added to the model's first streamed token";
  if (!m.ttft) return missing(what, 'reported');
  return { what, target: 'reported', measured: `+${ms(m.ttft.addedP50)} p50, +${ms(m.ttft.addedP95)} p95`, verdict: 'reported' };
}

function heldWindows(m) {
  const what = `RSS with ${m.memory ? m.memory.windows.toLocaleString('en') : '10,000'} held windows`;
  if (!m.memory) return missing(what, 'reported');
  return { what, target: 'reported', measured: `${m.memory.rssMb} MB`, verdict: 'reported' };
}

/**
 * The rows of the targets table from what a run measured. `m` holds any of: turns {turnRps, liveRps},
 * floor {turnRps}, postgres {turnRps, pgbenchTps} (each with the `errors` of its load, if any), scale {sqlite?, postgres?: [{name, smallP50,
 * largeP50}], largeLabel}, prune {sqlite?, postgres?: {sessions, seconds, p99, requests, errors}},
 * ttft {addedP50, addedP95}, memory {windows, rssMb}. A part that did not run gives "not run";
 * PostgreSQL rows of the scaling and the prune appear only when measured.
 */
export function targetRows(m) {
  const scale = m.scale ?? {};
  const largeLabel = scale.largeLabel ?? '1M';
  const rows = [turnsVsLive(m), turnsVsFloor(m), turnsVsPgbench(m), scaling('SQLite', scale.sqlite)];
  if (scale.postgres) rows.push(scaling('PostgreSQL', scale.postgres));
  rows.push(latencyAtLarge('SQLite', scale.sqlite, largeLabel));
  if (scale.postgres) rows.push(latencyAtLarge('PostgreSQL', scale.postgres, largeLabel));
  rows.push(prune('SQLite', m.prune?.sqlite));
  if (m.prune?.postgres) rows.push(prune('PostgreSQL', m.prune.postgres));
  rows.push(firstToken(m), heldWindows(m));
  return rows;
}

const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A markdown table. */
export function markdownTable(header, rows) {
  return [`| ${header.map(cell).join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

/** CPU model, cores and RAM from the text of /proc/cpuinfo and /proc/meminfo. */
export function machineFrom(cpuinfo, meminfo) {
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown CPU';
  const cores = (cpuinfo.match(/^processor\s*:/gm) ?? []).length;
  const kb = Number(/^MemTotal:\s+(\d+)\s*kB/m.exec(meminfo)?.[1] ?? NaN);
  return { cpu: model, cores, ramGiB: Number.isNaN(kb) ? null : Math.round((kb / 1_048_576) * 10) / 10 };
}

/** bench/results.md: machine, versions, date and the one table of targets. */
export function resultsMarkdown({ date, machine, versions, settings, rows, quick }) {
  const verdicts = rows.map((r) => r.verdict);
  const count = (v) => verdicts.filter((x) => x === v).length;
  return [
    '# Benchmark results',
    '',
    quick ? '**Quick mode (`BENCH_QUICK=1`): small corpora and 1 s rows, to check the script end to end. These numbers measure nothing.**\n' : '',
    `- Date: ${date}`,
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB ?? '?'} GiB RAM`,
    `- Versions: ${Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `- Settings: ${settings}`,
    '',
    markdownTable(['what', 'target', 'measured', 'verdict'], rows.map((r) => [r.what, r.target, r.measured, r.verdict === 'missed' || r.verdict === 'invalid' ? `**${r.verdict}**` : r.verdict])),
    '',
    `${count('met')} met, ${count('missed')} missed, ${count('reported')} reported, ${count('not run')} not run${count('invalid') ? `, ${count('invalid')} invalid (requests failed)` : ''}.`,
    '',
  ]
    .filter((line, i, all) => !(line === '' && all[i - 1] === ''))
    .join('\n');
}
