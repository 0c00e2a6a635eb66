import { HealthCheckLogger } from './health-check-logger';

describe(HealthCheckLogger.name, () => {
  it('should pass the first failed report on, and drop the ones that follow within a minute', () => {
    const logger = new HealthCheckLogger();
    const written: unknown[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(chunk);
      return true;
    });
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    try {
      logger.error('Health Check has failed! database down');
      logger.error('Health Check has failed! database down');
      now.mockReturnValue(1_000_000 + 61_000);
      logger.error('Health Check has failed! database down');
    } finally {
      jest.restoreAllMocks();
    }
    expect(written.filter((w) => String(w).includes('Health Check has failed'))).toHaveLength(2);
  });
});
