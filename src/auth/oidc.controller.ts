import { Controller, Get, Logger, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CookieOptions, Request, Response } from 'express';
import { DomainError } from '../common/domain-error';
import { Public } from '../common/http/access';
import { ApiErrorsDescribed } from '../common/http/api-docs';
import { errorBody } from '../common/http/error-body';
import { AppConfig } from '../config/app-config';
import { SSO_STATE_TTL_MS } from './sso-state';
import { SsoService } from './sso.service';

export const SSO_LOGIN_PATH = '/api/auth/oidc/login';
const STATE_COOKIE = 'oidc_login';
const COOKIE_PATH = '/api/auth/oidc';

/**
 * Single sign-on through the configured OpenID Connect provider. Both routes are open. A browser
 * (a request that accepts HTML) is sent back to the web client with `#access_token=…` or
 * `#sso_error=…`; other callers get the token in the redirect too, and errors as JSON.
 */
@ApiTags('auth')
@ApiErrorsDescribed({
  400: 'The callback does not match a sign-in started here (`sso_invalid_state`).',
  401: 'The provider refused the sign-in (`sso_denied`).',
  404: 'Single sign-on is not configured (`sso_not_configured`).',
  409: "The provider's subject is linked to an account of another provider (`sso_account_conflict`).",
  502: 'The provider answered something that cannot be accepted, such as a bad ID token (`sso_bad_response`).',
  503: 'The provider cannot be reached (`sso_unavailable`).',
  504: 'The provider did not answer within OIDC_TIMEOUT_MS (`sso_timeout`).',
})
@Controller('auth/oidc')
export class OidcController {
  private readonly logger = new Logger(OidcController.name);

  constructor(
    private readonly sso: SsoService,
    private readonly config: AppConfig,
  ) {}

  /** Redirects to the provider's sign-in page (authorization code with PKCE); the state goes in a signed, HttpOnly cookie. */
  @Public()
  @Get('login')
  @ApiOperation({ summary: 'Start single sign-on' })
  @ApiFoundResponse({ description: "To the provider's sign-in page." })
  async login(@Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const { url, sealedState } = await this.sso.start();
      res.cookie(STATE_COOKIE, sealedState, this.cookieOptions({ maxAge: SSO_STATE_TTL_MS }));
      res.redirect(302, url);
    } catch (error) {
      this.fail(error, req, res);
    }
  }

  /** Where the provider sends the browser back: checks the state, signs the linked account in (creating it the first time), and redirects to the client with `#access_token=…`. */
  @Public()
  @Get('callback')
  @ApiOperation({ summary: 'Finish single sign-on' })
  @ApiFoundResponse({ description: 'To the web client, with `#access_token=…` in the fragment.' })
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    res.clearCookie(STATE_COOKIE, this.cookieOptions());
    try {
      const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
      const token = await this.sso.finish(query, cookie(req, STATE_COOKIE));
      // In the fragment, the token never reaches a server log or a Referer header.
      res.redirect(302, `${this.clientUrl()}#access_token=${encodeURIComponent(token.token)}`);
    } catch (error) {
      this.fail(error, req, res);
    }
  }

  /** A person in a browser goes back to the client, which shows the detail; a program gets the JSON error. */
  private fail(error: unknown, req: Request, res: Response): void {
    if (!(error instanceof DomainError) || req.accepts(['json', 'html']) !== 'html') throw error;
    const body = errorBody(error);
    if (body.status >= 500) this.logger.warn(`${body.code}: ${body.detail}`);
    res.redirect(302, `${this.clientUrl()}#sso_error=${encodeURIComponent(body.detail)}`);
  }

  /** The web client is served by this service: the root of the callback's origin. */
  private clientUrl(): string {
    return new URL('/', this.config.auth.oidc?.redirectUrl ?? 'http://localhost/').href;
  }

  private cookieOptions(extra: CookieOptions = {}): CookieOptions {
    const secure = this.config.auth.oidc?.redirectUrl.startsWith('https:') ?? false;
    // Lax: the cookie comes back on the provider's top-level redirect, and on no cross-site subrequest.
    return { httpOnly: true, sameSite: 'lax', secure, path: COOKIE_PATH, ...extra };
  }
}

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}
