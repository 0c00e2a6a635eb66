import { OutageLog } from './outage-log';

describe(OutageLog.name, () => {
  let now: number;
  let lines: string[];
  let log: OutageLog;

  beforeEach(() => {
    now = 0;
    lines = [];
    log = new OutageLog('Database', { warn: (m) => lines.push(`WARN ${m}`), log: (m) => lines.push(`LOG ${m}`) }, { repeatMs: 10_000, now: () => now });
  });

  it('should say a burst of failures once, with the first cause, and its recovery once', () => {
    for (let i = 0; i < 100; i++) {
      now += 10;
      log.failed(new Error(`connect ECONNREFUSED #${i}`));
    }
    expect(log.down).toBe(true);
    now += 500;
    log.succeeded();
    log.succeeded();
    expect(lines).toEqual(['WARN Database is failing: connect ECONNREFUSED #0', 'LOG Database recovered after 100 failures in 1.5 s']);
    expect(log.down).toBe(false);
  });

  it('should remind at most once per period while the outage lasts', () => {
    log.failed(new Error('first'));
    now = 9_999;
    log.failed(new Error('too soon'));
    now = 10_000;
    log.failed(new Error('reminder'));
    now = 15_000;
    log.failed(new Error('too soon again'));
    expect(lines).toEqual(['WARN Database is failing: first', 'WARN Database still failing: 3 failures in 10.0 s; last: reminder']);
  });

  it('should start a new burst after a recovery, and say nothing while all is well', () => {
    log.succeeded();
    log.failed('down');
    log.succeeded();
    log.failed(new Error('wrapped', { cause: new Error('the cause') }));
    expect(lines).toEqual([
      'WARN Database is failing: down',
      'LOG Database recovered after 1 failures in 0.0 s',
      'WARN Database is failing: wrapped (the cause)',
    ]);
  });
});
