import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { SsoAccountConflictError, SsoInvalidStateError, SsoNotConfiguredError } from '../common/domain-error';
import { AppConfig, OidcSettings } from '../config/app-config';
import { AuthService } from './auth.service';
import { SingleSignOn, SsoIdentity } from './domain/single-sign-on';
import { IssuedToken, TokenSigner } from './domain/token-signer';
import { User } from './domain/user';
import { UserStore } from './domain/user-store';
import { safeEqual } from './secrets';
import { SsoStateSealer } from './sso-state';

/** Names tried before a random suffix: alice, alice-2 … alice-9. */
const NAME_TRIES = 9;
const MAX_TRIES = NAME_TRIES + 3;
const MAX_NAME = 64;

/**
 * Single sign-on: starts a sign-in at the provider and, on its return, signs in the account linked
 * to the provider's identity, creating it the first time. The account's name comes from the
 * identity but never links to an existing account by name, so a provider user named like a local
 * one cannot take it over: the newcomer gets a free name instead.
 */
@Injectable()
export class SsoService {
  private readonly sealer: SsoStateSealer;

  constructor(
    private readonly sso: SingleSignOn,
    private readonly users: UserStore,
    private readonly tokens: TokenSigner,
    private readonly auth: AuthService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.sealer = new SsoStateSealer(config.auth.jwtSecret ?? randomBytes(32).toString('hex'));
  }

  /** The provider's sign-in page, and the sealed state the callback must bring back in its cookie. */
  async start(): Promise<{ url: string; sealedState: string }> {
    this.settings();
    const { url, pending } = await this.sso.start();
    return { url, sealedState: this.sealer.seal(pending, this.clock.now()) };
  }

  /** Checks the provider's answer against the sealed state, then signs the linked account in. */
  async finish(callbackQuery: string, sealedState: string | undefined): Promise<IssuedToken> {
    this.settings();
    const pending = sealedState ? this.sealer.open(sealedState, this.clock.now()) : null;
    if (!pending) throw new SsoInvalidStateError('This sign-in was not started here, or it took too long: start it again.');
    const state = new URLSearchParams(callbackQuery).get('state') ?? '';
    if (!safeEqual(Buffer.from(state), Buffer.from(pending.state))) {
      throw new SsoInvalidStateError('The state of this sign-in does not match the one it started with: start it again.');
    }
    const identity = await this.sso.finish(callbackQuery, pending);
    const user = await this.withRole(await this.accountOf(identity), identity);
    return this.tokens.sign(user.id, this.clock.now());
  }

  private async accountOf(identity: SsoIdentity): Promise<User> {
    const linked = await this.users.findByIdentity(identity);
    if (linked) return linked;
    const base = usernameFrom(identity.nameHint);
    for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
      const suffix = attempt === 1 ? '' : attempt <= NAME_TRIES ? `-${attempt}` : `-${randomBytes(4).toString('hex')}`;
      const username = base.slice(0, MAX_NAME - suffix.length) + suffix;
      const user = await this.users.create({ id: randomUUID(), username, passwordHash: null, identity, at: this.clock.now() });
      if (user) {
        await this.auth.welcome(user);
        return user;
      }
      // Null for a taken name, or because a sign-in of the same identity created it meanwhile.
      const raced = await this.users.findByIdentity(identity);
      if (raced) return raced;
      // Neither: the subject is linked under another issuer (the accounts migration made subjects unique on their own).
      if (!(await this.users.findByUsername(username))) break;
    }
    throw new SsoAccountConflictError(`No account can be made for subject ${identity.subject} of ${identity.issuer}: it is linked to an account of another provider.`);
  }

  /** With OIDC_ADMIN_GROUP, the provider's groups decide the role at every sign-in (the last admin stays one). */
  private async withRole(user: User, identity: SsoIdentity): Promise<User> {
    const { adminGroup } = this.settings();
    if (adminGroup === undefined) return user;
    const role = identity.groups.includes(adminGroup) ? 'admin' : 'user';
    if (role === user.role) return user;
    const changed = await this.users.setRole(user.id, role);
    return changed && changed !== 'last_admin' ? changed : user;
  }

  private settings(): OidcSettings {
    const { oidc } = this.config.auth;
    if (this.config.auth.mode !== 'jwt' || !oidc) throw new SsoNotConfiguredError();
    return oidc;
  }
}

/** A name from preferred_username or email, in the characters usernames use; at least 3 of them. */
export function usernameFrom(hint: string | undefined): string {
  const name = (hint ?? '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._@-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_NAME);
  return name.length >= 3 ? name : `user-${name || randomBytes(3).toString('hex')}`.slice(0, MAX_NAME);
}
