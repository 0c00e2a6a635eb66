import { Role, User, UserRecord } from './user';

export interface NewUser {
  readonly id: string;
  readonly username: string;
  readonly passwordHash: string | null;
  /** The single sign-on identity the account is linked to, if it came through SSO. */
  readonly identity?: SsoSubject;
  readonly at: Date;
}

/** Who a user is at an OpenID provider: unique per issuer. */
export interface SsoSubject {
  readonly issuer: string;
  readonly subject: string;
}

/** Accounts. Each method is atomic. */
export abstract class UserStore {
  /** Creates the account: `admin` when it is the first, `user` otherwise. Null when the username, or the identity, is taken. */
  abstract create(user: NewUser): Promise<User | null>;

  abstract findById(id: string): Promise<User | null>;

  abstract findByUsername(username: string): Promise<UserRecord | null>;

  /** The account linked to this single sign-on identity. */
  abstract findByIdentity(identity: SsoSubject): Promise<User | null>;

  /** Users in creation order, with the total before paging. */
  abstract list(limit: number, offset: number): Promise<{ users: User[]; total: number }>;

  /** Null when there is no such user; 'last_admin' when it would leave no admin. */
  abstract setRole(id: string, role: Role): Promise<User | null | 'last_admin'>;

  /** Deletes the user and their API keys; false when there is no such user; 'last_admin' when it would leave no admin. */
  abstract delete(id: string): Promise<boolean | 'last_admin'>;

  /** The oldest admin, who owns the sessions made before accounts existed. */
  abstract firstAdmin(): Promise<User | null>;
}
