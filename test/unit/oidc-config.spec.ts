import { loadConfig } from '../../src/config/load-config';
import { JWT_ENV } from '../support/auth-helpers';

const OIDC = {
  OIDC_ISSUER: 'https://id.example.com/realms/main',
  OIDC_CLIENT_ID: 'chat',
  OIDC_CLIENT_SECRET: 'client secret',
  OIDC_REDIRECT_URL: 'https://chat.example.com/api/auth/oidc/callback',
};

describe('single sign-on configuration', () => {
  it('should be off without any OIDC_ variable', () => {
    expect(loadConfig(JWT_ENV).auth.oidc).toBeUndefined();
  });

  it('should read the four variables, with defaults for the rest', () => {
    expect(loadConfig({ ...JWT_ENV, ...OIDC }).auth.oidc).toEqual({
      issuer: OIDC.OIDC_ISSUER,
      clientId: 'chat',
      clientSecret: 'client secret',
      redirectUrl: OIDC.OIDC_REDIRECT_URL,
      adminGroup: undefined,
      groupsClaim: 'groups',
      name: 'id.example.com',
      timeoutMs: 5_000,
    });
    const custom = loadConfig({ ...JWT_ENV, ...OIDC, OIDC_ADMIN_GROUP: 'ops', OIDC_GROUPS_CLAIM: 'roles', OIDC_PROVIDER_NAME: 'Acme ID', OIDC_TIMEOUT_MS: '800' });
    expect(custom.auth.oidc).toMatchObject({ adminGroup: 'ops', groupsClaim: 'roles', name: 'Acme ID', timeoutMs: 800 });
  });

  it.each(Object.keys(OIDC))('should refuse to start without %s when another OIDC_ variable is set, naming it', (missing) => {
    const env: Record<string, string> = { ...JWT_ENV, ...OIDC, OIDC_ADMIN_GROUP: 'ops' };
    delete env[missing];
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration: ${missing} must be set`));
  });

  it('should stay off with only optional variables set (their defaults in a shared env file), in either mode', () => {
    expect(loadConfig({ OIDC_GROUPS_CLAIM: 'groups', OIDC_TIMEOUT_MS: '5000' }).auth.oidc).toBeUndefined();
    expect(loadConfig({ ...JWT_ENV, OIDC_ADMIN_GROUP: 'ops' }).auth.oidc).toBeUndefined();
  });

  it('should refuse single sign-on without accounts (AUTH_MODE=off)', () => {
    expect(() => loadConfig({ ...OIDC })).toThrow(/OIDC_ISSUER needs AUTH_MODE=jwt/);
  });

  it('should refuse URLs that are not URLs, and plain http to a provider elsewhere than this machine', () => {
    expect(() => loadConfig({ ...JWT_ENV, ...OIDC, OIDC_ISSUER: 'id.example.com' })).toThrow(/OIDC_ISSUER must be a URL/);
    expect(() => loadConfig({ ...JWT_ENV, ...OIDC, OIDC_REDIRECT_URL: 'ftp://chat/cb' })).toThrow(/OIDC_REDIRECT_URL must use/);
    expect(() => loadConfig({ ...JWT_ENV, ...OIDC, OIDC_ISSUER: 'http://id.example.com' })).toThrow(/OIDC_ISSUER must use https/);
    expect(loadConfig({ ...JWT_ENV, ...OIDC, OIDC_ISSUER: 'http://127.0.0.1:8080' }).auth.oidc?.issuer).toBe('http://127.0.0.1:8080');
    expect(() => loadConfig({ ...JWT_ENV, ...OIDC, OIDC_TIMEOUT_MS: '10' })).toThrow(/OIDC_TIMEOUT_MS/);
  });
});
