import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthorizedError } from '../common/domain-error';
import { ADMIN_ROUTE, Caller, PUBLIC_ROUTE } from '../common/http/access';
import { AppConfig } from '../config/app-config';
import { AuthService } from './auth.service';

/** AUTH_MODE=off: one implicit user, the admin, whose own routes see every session. */
export const LOCAL_CALLER: Caller = Object.freeze({ id: 'local', username: 'local', role: 'admin', ownerId: null });

interface AuthRequest {
  headers: Record<string, string | string[] | undefined>;
  caller?: Caller;
}

/**
 * Every Nest route needs `Authorization: Bearer <token or API key>` in AUTH_MODE=jwt unless it is
 * marked @Public(); @AdminOnly() routes need the admin role. The caller goes on the request.
 * (/api/docs and the web client are not Nest routes: no guard runs for them.)
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthRequest>();
    if (this.config.auth.mode === 'off') {
      request.caller = LOCAL_CALLER;
      return true;
    }
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new UnauthorizedError('Sign in first: send Authorization: Bearer <access token or API key>.');
    const user = await this.auth.authenticate(token);
    if (!user) throw new UnauthorizedError('The access token or API key is not valid: it is malformed, expired, forged or revoked.');
    request.caller = { id: user.id, username: user.username, role: user.role, ownerId: user.id };
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ROUTE, targets) && user.role !== 'admin') {
      throw new ForbiddenError('Only an admin may do this.');
    }
    return true;
  }
}

function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1];
}
