import { timingSafeEqual } from 'node:crypto';
import { TooManyAttemptsError } from '../../src/common/domain-error';
import { InProcessRecentFailures } from '../../src/coordination/adapters/in-process-recent-failures';
import { LoginThrottle, MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_USERNAME } from '../../src/auth/login-throttle';
import { apiKeyHash, hashPassword, isApiKey, newApiKey, safeEqual, verifyPassword } from '../../src/auth/secrets';
import { ManualClock } from '../support/manual-clock';

// The real comparison, watched: the secrets module must compare through it.
jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});
const compared = timingSafeEqual as jest.MockedFunction<typeof timingSafeEqual>;

describe('safeEqual', () => {
  it('should compare through timingSafeEqual: equal, unequal, and different lengths', () => {
    compared.mockClear();
    expect(safeEqual(Buffer.from('same secret'), Buffer.from('same secret'))).toBe(true);
    expect(safeEqual(Buffer.from('same secret'), Buffer.from('same secreT'))).toBe(false);
    expect(safeEqual(Buffer.from('short'), Buffer.from('much longer'))).toBe(false);
    expect(safeEqual(Buffer.alloc(0), Buffer.from('x'))).toBe(false);
    expect(compared).toHaveBeenCalledTimes(4);
  });
});

describe('password hashes', () => {
  it('should store scrypt with its parameters and a random salt, and check passwords against it', async () => {
    const [one, two] = await Promise.all([hashPassword('correct horse'), hashPassword('correct horse')]);
    expect(one).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(one).not.toBe(two);
    expect(one).not.toContain('correct horse');
    expect(await verifyPassword('correct horse', one)).toBe(true);
    expect(await verifyPassword('correct horsE', one)).toBe(false);
    expect(await verifyPassword('correct horse', 'plain text')).toBe(false);
  });

  it('should check passwords with timingSafeEqual', async () => {
    const hash = await hashPassword('pw pw pw pw');
    compared.mockClear();
    await verifyPassword('pw pw pw pw', hash);
    expect(compared).toHaveBeenCalledTimes(1);
  });
});

describe('API keys', () => {
  it('should be recognisable, random, and hashed the same way every time', () => {
    const key = newApiKey();
    expect(key).toMatch(/^csk_[A-Za-z0-9_-]{43}$/);
    expect(newApiKey()).not.toBe(key);
    expect(isApiKey(key)).toBe(true);
    expect(isApiKey('eyJhbGciOi.x.y')).toBe(false);
    expect(apiKeyHash(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(apiKeyHash(key)).toBe(apiKeyHash(key));
  });
});

describe(LoginThrottle.name, () => {
  const throttleOn = (clock: ManualClock) => new LoginThrottle(new InProcessRecentFailures(), clock);

  it('should refuse a username after its failures until the oldest ages out of the 15 minutes', async () => {
    const clock = new ManualClock(new Date('2026-11-24T10:00:00.000Z'));
    const throttle = throttleOn(clock);
    for (let i = 0; i < MAX_FAILURES_PER_USERNAME; i++) {
      await throttle.check('ann', '10.0.0.1');
      await throttle.failed('ann', '10.0.0.1');
      clock.advance(1000);
    }
    const refused: unknown = await throttle.check('ann', '10.0.0.2').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TooManyAttemptsError);
    expect((refused as TooManyAttemptsError).retryAfterSeconds).toBe(15 * 60 - MAX_FAILURES_PER_USERNAME);
    await expect(throttle.check('ben', '10.0.0.1')).resolves.toBeUndefined();
    clock.advance(15 * 60_000);
    await expect(throttle.check('ann', '10.0.0.1')).resolves.toBeUndefined();
  });

  it('should refuse an address after its failures, whatever the username', async () => {
    const throttle = throttleOn(new ManualClock(new Date('2026-11-24T10:00:00.000Z')));
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) await throttle.failed(`user${i}`, '10.0.0.9');
    await expect(throttle.check('fresh', '10.0.0.9')).rejects.toThrow(TooManyAttemptsError);
    await expect(throttle.check('fresh', '10.0.0.8')).resolves.toBeUndefined();
  });

  it("should forget a username's failures when it signs in", async () => {
    const throttle = throttleOn(new ManualClock(new Date('2026-11-24T10:00:00.000Z')));
    for (let i = 0; i < MAX_FAILURES_PER_USERNAME - 1; i++) await throttle.failed('ann', `10.0.0.${i}`);
    await throttle.succeeded('ann');
    await throttle.failed('ann', '10.0.1.1');
    await expect(throttle.check('ann', '10.0.1.2')).resolves.toBeUndefined();
  });
});
