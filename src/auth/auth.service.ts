import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ApiKeyNotFoundError, AuthDisabledError, ForbiddenError, UnauthorizedError, UsernameTakenError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { SessionStore } from '../sessions/domain/session-store';
import { TemplateStore } from '../settings/domain/template';
import { ApiKeyStore } from './domain/api-key-store';
import { IssuedToken, TokenSigner } from './domain/token-signer';
import { ApiKey, normalUsername, User } from './domain/user';
import { UserStore } from './domain/user-store';
import { LoginThrottle } from './login-throttle';
import { apiKeyHash, decoyHash, hashPassword, isApiKey, newApiKey, verifyPassword } from './secrets';

/** A key's last use is written at most this often: one write a minute, not one per request. */
const KEY_TOUCH_MS = 60_000;
const KEY_PREFIX_SHOWN = 8;

export interface CreatedKey {
  readonly key: ApiKey;
  /** The key itself, shown once. */
  readonly secret: string;
}

/** Accounts, sign-in, tokens and API keys. */
@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly users: UserStore,
    private readonly keys: ApiKeyStore,
    private readonly tokens: TokenSigner,
    private readonly sessions: SessionStore,
    private readonly templates: TemplateStore,
    private readonly throttle: LoginThrottle,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Sessions and templates made while accounts were off belong to the first admin (again at every start, for those made in between). */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.auth.mode !== 'jwt') return;
    const admin = await this.users.firstAdmin();
    if (admin) await this.adopt(admin);
  }

  async register(username: string, password: string): Promise<{ user: User; token: IssuedToken }> {
    this.requireAccounts();
    if (!this.config.auth.allowRegistration) throw new ForbiddenError('Registration is closed (ALLOW_REGISTRATION=false): ask an admin.');
    const name = normalUsername(username);
    const user = await this.users.create({ id: randomUUID(), username: name, passwordHash: await hashPassword(password), at: this.clock.now() });
    if (!user) throw new UsernameTakenError(name);
    await this.welcome(user);
    return { user, token: this.tokens.sign(user.id, this.clock.now()) };
  }

  async login(username: string, password: string, address: string): Promise<IssuedToken> {
    this.requireAccounts();
    const name = normalUsername(username);
    await this.throttle.check(name, address);
    const user = await this.users.findByUsername(name);
    // Unknown users cost the same scrypt as known ones, so timing does not tell them apart.
    const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !user.passwordHash || !matches) {
      await this.throttle.failed(name, address);
      throw new UnauthorizedError('The username or the password is wrong.');
    }
    await this.throttle.succeeded(name);
    return this.tokens.sign(user.id, this.clock.now());
  }

  /** The user a bearer token or API key stands for; null when it is not valid (now). */
  async authenticate(bearer: string): Promise<User | null> {
    const now = this.clock.now();
    if (isApiKey(bearer)) return this.keys.ownerOf(apiKeyHash(bearer), now, KEY_TOUCH_MS);
    const userId = this.tokens.verify(bearer, now);
    // The user is read on every request: a deleted user or a changed role takes effect at once.
    return userId === null ? null : this.users.findById(userId);
  }

  async createKey(user: User, name: string): Promise<CreatedKey> {
    this.requireAccounts();
    const secret = newApiKey();
    const key = await this.keys.create({
      id: randomUUID(),
      userId: user.id,
      name,
      keyHash: apiKeyHash(secret),
      prefix: secret.slice(0, KEY_PREFIX_SHOWN),
      at: this.clock.now(),
    });
    return { key, secret };
  }

  listKeys(user: User): Promise<ApiKey[]> {
    this.requireAccounts();
    return this.keys.list(user.id);
  }

  async revokeKey(user: User, keyId: string): Promise<void> {
    this.requireAccounts();
    if (!(await this.keys.revoke(user.id, keyId))) throw new ApiKeyNotFoundError(keyId);
  }

  /** A new account: when it is the first admin, it owns the sessions made without accounts. */
  async welcome(user: User): Promise<void> {
    if (user.role === 'admin') await this.adopt(user);
  }

  private async adopt(admin: User): Promise<void> {
    const adopted = await this.sessions.adoptUnowned(admin.id);
    if (adopted > 0) this.logger.log(`${adopted} sessions made without accounts now belong to the admin ${admin.username}`);
    const templates = await this.templates.adoptUnowned(admin.id);
    if (templates > 0) this.logger.log(`${templates} templates made without accounts now belong to the admin ${admin.username}`);
  }

  private requireAccounts(): void {
    if (this.config.auth.mode !== 'jwt') throw new AuthDisabledError();
  }
}
