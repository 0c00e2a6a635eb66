import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';

export type Role = 'admin' | 'user';

/**
 * Who is calling, as the auth guard resolved it. `ownerId` is whose sessions the caller's own
 * routes see: the caller's id, or null for the implicit local admin of AUTH_MODE=off (everyone's).
 * Structurally a sessions `Scope`, so shared code need not import the sessions module.
 */
export interface Caller {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  readonly ownerId: string | null;
}

export const PUBLIC_ROUTE = 'auth:public';
export const ADMIN_ROUTE = 'auth:admin';

/** Open without credentials (health, sign-in, the auth configuration). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Admins only: a signed-in user gets 403. */
export const AdminOnly = () => SetMetadata(ADMIN_ROUTE, true);

/** The request's caller, as the auth guard set it. */
export function callerOf(request: { caller?: Caller }): Caller {
  if (!request.caller) throw new Error('No caller on the request: is the auth guard installed?');
  return request.caller;
}

export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => callerOf(context.switchToHttp().getRequest()));

/** The scope of the caller's own sessions: `{ownerId}`. */
export const CallerScope = createParamDecorator((_data: unknown, context: ExecutionContext): { ownerId: string | null } => ({
  ownerId: callerOf(context.switchToHttp().getRequest()).ownerId,
}));
