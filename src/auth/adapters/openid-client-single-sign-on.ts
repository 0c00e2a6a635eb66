import * as oidc from 'openid-client';
import { DomainError, SsoBadResponseError, SsoDeniedError, SsoTimeoutError, SsoUnavailableError } from '../../common/domain-error';
import { OidcSettings } from '../../config/app-config';
import { PendingSignIn, SingleSignOn, SsoIdentity } from '../domain/single-sign-on';

/**
 * OpenID Connect through `openid-client`: discovery (once, retried after a failure), the
 * authorization-code flow with PKCE, state and nonce, and userinfo for claims the ID token leaves out.
 * Every call to the provider has the configured deadline.
 */
export class OpenIdClientSingleSignOn extends SingleSignOn {
  private discovered: Promise<oidc.Configuration> | undefined;

  constructor(private readonly settings: OidcSettings) {
    super();
  }

  async start(): Promise<{ url: string; pending: PendingSignIn }> {
    const config = await this.configuration();
    const pending = { state: oidc.randomState(), codeVerifier: oidc.randomPKCECodeVerifier(), nonce: oidc.randomNonce() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUrl,
      scope: 'openid profile email',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, pending };
  }

  async finish(callbackQuery: string, pending: PendingSignIn): Promise<SsoIdentity> {
    const config = await this.configuration();
    // The URL the provider sent the browser to, whatever proxies stand in front of us.
    const current = new URL(this.settings.redirectUrl);
    current.search = callbackQuery;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        pkceCodeVerifier: pending.codeVerifier,
        idTokenExpected: true,
      });
      const claims = tokens.claims()!;
      const info = config.serverMetadata().userinfo_endpoint ? await oidc.fetchUserInfo(config, tokens.access_token, claims.sub) : {};
      const all: Record<string, unknown> = { ...info, ...claims };
      return { issuer: claims.iss, subject: claims.sub, nameHint: nameHint(all), groups: groups(all[this.settings.groupsClaim]) };
    } catch (error) {
      throw this.failure(error);
    }
  }

  private configuration(): Promise<oidc.Configuration> {
    this.discovered ??= this.discover().catch((error: unknown) => {
      this.discovered = undefined;
      throw this.failure(error);
    });
    return this.discovered;
  }

  private discover(): Promise<oidc.Configuration> {
    const { issuer, clientId, clientSecret, timeoutMs } = this.settings;
    // Plain http is allowed by the configuration only to a provider on this machine.
    const insecure = new URL(issuer).protocol === 'http:' ? [oidc.allowInsecureRequests] : [];
    return oidc.discovery(new URL(issuer), clientId, undefined, oidc.ClientSecretBasic(clientSecret), { timeout: timeoutMs / 1000, execute: insecure });
  }

  /** The library's errors as typed ones: who was at fault, and a detail that says what happened. */
  private failure(error: unknown): DomainError {
    if (error instanceof DomainError) return error;
    const provider = `The single sign-on provider (${this.settings.issuer})`;
    // In the callback's query (the user declined) or from the token endpoint (a bad or used code).
    if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) {
      return new SsoDeniedError(`${provider} refused the sign-in: ${error.error}${error.error_description ? ` (${error.error_description})` : ''}.`);
    }
    if (error instanceof oidc.ClientError && error.code === 'OAUTH_TIMEOUT') {
      return new SsoTimeoutError(`${provider} did not answer within ${this.settings.timeoutMs} ms.`, { cause: error });
    }
    if (error instanceof oidc.ClientError && error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM') {
      return new SsoUnavailableError(`${provider} answered with an error status: try again later.`, { cause: error });
    }
    if (isFetchFailure(error) || (error instanceof oidc.ClientError && isFetchFailure(error.cause))) {
      return new SsoUnavailableError(`${provider} cannot be reached: try again later.`, { cause: error });
    }
    return new SsoBadResponseError(`${provider} answered something we cannot accept: ${(error as Error).message}.`, { cause: error });
  }
}

/** fetch's "could not connect"; by name, as its TypeError may come from another realm (a test sandbox) than the library's. */
function isFetchFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'TypeError' && error.message === 'fetch failed';
}

function nameHint(claims: Record<string, unknown>): string | undefined {
  for (const claim of ['preferred_username', 'email']) {
    const value = claims[claim];
    if (typeof value === 'string' && value.trim()) return value;
  }
  return undefined;
}

/** A list of group names, or one name; anything else counts as no groups. */
function groups(claim: unknown): string[] {
  if (typeof claim === 'string') return [claim];
  return Array.isArray(claim) ? claim.filter((group): group is string => typeof group === 'string') : [];
}
