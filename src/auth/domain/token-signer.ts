export interface IssuedToken {
  readonly token: string;
  readonly expiresInSeconds: number;
}

/** Signed, expiring access tokens naming a user. */
export abstract class TokenSigner {
  abstract sign(userId: string, now: Date): IssuedToken;

  /** The user id a valid token names; null for a malformed, forged or expired token. */
  abstract verify(token: string, now: Date): string | null;
}
