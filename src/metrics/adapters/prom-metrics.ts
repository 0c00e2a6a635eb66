import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Count, HeldWindows, Metrics, ModelMeters, QueryKind, Timing } from '../domain/metrics';

/** Seconds: from a cached read to a slow model reply. */
const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Seconds: statements and lock waits are short unless something is wrong. */
const SHORT_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

/**
 * Children made once per label set and kept, found again by nested maps: no key is built per
 * lookup. (prom-client still hashes the labels on each observation; these save the rest.)
 */
class Children<T> {
  private readonly tree = new Map<string, Map<string, T>>();

  constructor(private readonly make: (a: string, b: string) => T) {}

  get(a: string, b: string): T {
    let level = this.tree.get(a);
    if (!level) this.tree.set(a, (level = new Map()));
    let child = level.get(b);
    if (child === undefined) level.set(b, (child = this.make(a, b)));
    return child;
  }
}

/** Process metrics (CPU, memory, GC, event-loop lag) are the process's: registered once, whatever the number of apps. */
let processRegistry: Registry | undefined;

function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 10 });
  }
  return processRegistry;
}

/**
 * The service's metrics on a registry of their own (one per application, so the tests' apps do
 * not share counts), and the process's beside them.
 */
export class PromMetrics extends Metrics {
  readonly registry = new Registry();
  private readonly requests: Histogram<'method' | 'route' | 'status'>;
  private readonly requestChildren: Children<Map<number, Timing>>;
  private readonly turns: Histogram<'strategy' | 'outcome'>;
  private readonly modelLatency: Histogram<'provider' | 'model'>;
  private readonly firstToken: Histogram<'provider' | 'model'>;
  private readonly modelErrors: Counter<'provider' | 'model' | 'code'>;
  private readonly tokens: Counter<'provider' | 'model' | 'direction'>;
  private readonly queries: Histogram<'kind'>;
  private readonly queryErrors: Counter<'kind'>;
  private readonly lockWaits: Histogram<'lock'>;
  private readonly turnChildren: Children<Timing>;
  private readonly modelChildren: Children<ModelMeters>;
  private readonly singles = new Map<string, Timing & Count>();
  private heldWindows: () => HeldWindows = () => ({ windows: 0, bytes: 0 });
  private ready: () => Promise<boolean> = async () => true;

  constructor() {
    super();
    processMetrics();
    this.requests = this.histogram(
      'http_request_duration_seconds',
      'HTTP requests by method, route template and status, from the first middleware to the closed response.',
      ['method', 'route', 'status'],
    );
    this.turns = this.histogram(
      'chat_turn_duration_seconds',
      'Conversational turns (generate and stream) by memory strategy and outcome (stop, length, or the error code), from the request to the stored answer.',
      ['strategy', 'outcome'],
    );
    this.modelLatency = this.histogram('chat_model_call_duration_seconds', 'Model calls, failed ones included, from the request to the last piece.', ['provider', 'model']);
    this.firstToken = this.histogram('chat_model_first_token_seconds', 'Streamed model calls: from the request to the first piece.', ['provider', 'model']);
    this.modelErrors = this.counter('chat_model_errors_total', 'Failed model calls, by error code.', ['provider', 'model', 'code']);
    this.tokens = this.counter(
      'chat_model_tokens_total',
      'Tokens sent to (in) and received from (out) the model: as the server reports them, else estimated at four characters a token.',
      ['provider', 'model', 'direction'],
    );
    this.queries = this.histogram('chat_db_query_duration_seconds', 'Database statements and transactions, queueing included.', ['kind'], SHORT_BUCKETS);
    this.queryErrors = this.counter('chat_db_query_errors_total', 'Database statements and transactions that failed.', ['kind']);
    this.lockWaits = this.histogram('chat_lock_wait_seconds', 'Time work waited for its lock (a session lock: turns, clears, deletes).', ['lock'], SHORT_BUCKETS);
    this.gauges();
    this.requestChildren = new Children(() => new Map());
    this.turnChildren = new Children((strategy, outcome) => this.turns.labels(strategy, outcome));
    this.modelChildren = new Children((provider, model) => {
      const errors = new Children((code) => this.modelErrors.labels(provider, model, code));
      return {
        latency: this.modelLatency.labels(provider, model),
        firstToken: this.firstToken.labels(provider, model),
        tokensIn: this.tokens.labels(provider, model, 'in'),
        tokensOut: this.tokens.labels(provider, model, 'out'),
        failed: (code: string) => errors.get(code, ''),
      };
    });
  }

  private histogram<L extends string>(name: string, help: string, labelNames: L[], buckets = LATENCY_BUCKETS): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /** Values read when scraped, from whoever watches them (see watchHeldWindows, watchReadiness). */
  private gauges(): void {
    const registers = [this.registry];
    const held = () => this.heldWindows();
    new Gauge({ name: 'chat_memory_windows', help: 'Memory windows this instance holds.', registers, collect() { this.set(held().windows); } });
    new Gauge({ name: 'chat_memory_window_bytes', help: 'Estimated bytes of the memory windows this instance holds.', registers, collect() { this.set(held().bytes); } });
    const ready = () => this.ready();
    new Gauge({
      name: 'chat_ready',
      help: '1 when the readiness checks (database, memory store, coordination, disk) pass at this scrape, else 0.',
      registers,
      async collect() {
        this.set((await ready()) ? 1 : 0);
      },
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text: this app's metrics, then the process's. */
  async text(): Promise<string> {
    return `${await this.registry.metrics()}\n${await processMetrics().metrics()}`;
  }

  httpRequest(method: string, route: string, status: number): Timing {
    const byStatus = this.requestChildren.get(route, method);
    let child = byStatus.get(status);
    if (!child) byStatus.set(status, (child = this.requests.labels(method, route, String(status))));
    return child;
  }

  turn(strategy: string, outcome: string): Timing {
    return this.turnChildren.get(strategy, outcome);
  }

  model(provider: string, model: string): ModelMeters {
    return this.modelChildren.get(provider, model);
  }

  query(kind: QueryKind): Timing {
    return this.single(`query:${kind}`, () => this.queries.labels(kind));
  }

  queryFailed(kind: QueryKind): Count {
    return this.single(`query-error:${kind}`, () => this.queryErrors.labels(kind));
  }

  lockWait(lock: string): Timing {
    return this.single(`lock:${lock}`, () => this.lockWaits.labels(lock));
  }

  watchHeldWindows(read: () => HeldWindows): void {
    this.heldWindows = read;
  }

  watchReadiness(check: () => Promise<boolean>): void {
    this.ready = check;
  }

  /** For instruments their callers take once, at construction. */
  private single<T>(key: string, make: () => T): T {
    let child = this.singles.get(key) as T | undefined;
    if (child === undefined) this.singles.set(key, (child = make()) as Timing & Count);
    return child;
  }
}
