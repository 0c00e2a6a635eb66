import { createHmac } from 'node:crypto';
import { PendingSignIn } from './domain/single-sign-on';
import { safeEqual } from './secrets';

/** How long a browser may spend at the provider between leaving and coming back. */
export const SSO_STATE_TTL_MS = 10 * 60_000;

/**
 * A sign-in in progress travels in a cookie, HMAC-signed with a key derived from JWT_SECRET, so any
 * instance can check the callback (nothing is held in one process's memory). The cookie is
 * HttpOnly, so its code verifier never reaches page scripts; the signature stops a forged state.
 */
export class SsoStateSealer {
  private readonly key: Buffer;

  constructor(secret: string) {
    // A key of its own: a sealed state can never pass for an access token or the other way round.
    this.key = createHmac('sha256', secret).update('oidc-login-state').digest();
  }

  seal(pending: PendingSignIn, now: Date): string {
    const payload = Buffer.from(JSON.stringify({ ...pending, exp: now.getTime() + SSO_STATE_TTL_MS })).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The sign-in a cookie stands for; null when it is malformed, forged or older than SSO_STATE_TTL_MS. */
  open(sealed: string, now: Date): PendingSignIn | null {
    const [payload, signature, extra] = sealed.split('.');
    if (!payload || !signature || extra !== undefined) return null;
    if (!safeEqual(Buffer.from(signature), Buffer.from(this.sign(payload)))) return null;
    try {
      const { state, codeVerifier, nonce, exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      if (typeof state !== 'string' || typeof codeVerifier !== 'string' || typeof nonce !== 'string' || typeof exp !== 'number') return null;
      return exp > now.getTime() ? { state, codeVerifier, nonce } : null;
    } catch {
      return null;
    }
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
