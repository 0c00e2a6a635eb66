import { SsoNotConfiguredError } from '../../common/domain-error';

/** What the callback must check, kept from the start of a sign-in until its return (in a signed cookie). */
export interface PendingSignIn {
  readonly state: string;
  readonly codeVerifier: string;
  readonly nonce: string;
}

/** Who the provider says signed in. */
export interface SsoIdentity {
  readonly issuer: string;
  readonly subject: string;
  /** preferred_username, else email: what the account is named after. */
  readonly nameHint: string | undefined;
  readonly groups: readonly string[];
}

/**
 * An OpenID Connect provider, through the authorization-code flow with PKCE. Failures are
 * DomainErrors: the provider unreachable (503) or too slow (504), a refused or forged answer (401).
 */
export abstract class SingleSignOn {
  /** Where to send the browser, and what its return must match. */
  abstract start(): Promise<{ url: string; pending: PendingSignIn }>;

  /** Checks the provider's answer (the callback's query) against `pending`, redeems the code, and says who signed in. */
  abstract finish(callbackQuery: string, pending: PendingSignIn): Promise<SsoIdentity>;
}

/** Stands in for the provider when none is configured. */
export class NoSingleSignOn extends SingleSignOn {
  start(): never {
    throw new SsoNotConfiguredError();
  }

  finish(): never {
    throw new SsoNotConfiguredError();
  }
}
