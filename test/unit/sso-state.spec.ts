import { SSO_STATE_TTL_MS, SsoStateSealer } from '../../src/auth/sso-state';
import { usernameFrom } from '../../src/auth/sso.service';

const PENDING = { state: 'the state', codeVerifier: 'the verifier', nonce: 'the nonce' };
const NOW = new Date('2026-12-01T12:00:00Z');

describe(SsoStateSealer.name, () => {
  const sealer = new SsoStateSealer('a secret of at least thirty-two characters');

  it('should open what it sealed, until it expires', () => {
    const sealed = sealer.seal(PENDING, NOW);
    expect(sealer.open(sealed, NOW)).toEqual(PENDING);
    expect(sealer.open(sealed, new Date(NOW.getTime() + SSO_STATE_TTL_MS - 1))).toEqual(PENDING);
    expect(sealer.open(sealed, new Date(NOW.getTime() + SSO_STATE_TTL_MS))).toBeNull();
  });

  it('should refuse a changed payload, a changed signature, another key, and garbage', () => {
    const sealed = sealer.seal(PENDING, NOW);
    const [payload, signature] = sealed.split('.');
    const other = Buffer.from(JSON.stringify({ ...PENDING, state: 'mine', exp: NOW.getTime() + 1000 })).toString('base64url');
    expect(sealer.open(`${other}.${signature}`, NOW)).toBeNull();
    expect(sealer.open(`${payload}.${signature.slice(1)}x`, NOW)).toBeNull();
    expect(new SsoStateSealer('another secret of thirty-two characters!').open(sealed, NOW)).toBeNull();
    for (const junk of ['', '.', 'abc', `${sealed}.x`]) expect(sealer.open(junk, NOW)).toBeNull();
  });
});

describe(usernameFrom.name, () => {
  it('should keep the characters usernames use and make at least three of them', () => {
    expect(usernameFrom('Alice')).toBe('alice');
    expect(usernameFrom('Bob.Smith@Example.com')).toBe('bob.smith@example.com');
    expect(usernameFrom('José María')).toBe('jos-mar-a');
    expect(usernameFrom('al')).toBe('user-al');
    expect(usernameFrom(undefined)).toMatch(/^user-[0-9a-f]{6}$/);
    expect(usernameFrom('x'.repeat(100))).toHaveLength(64);
  });
});
