/**
 * Every code the core can raise. The HTTP layer maps each one to a status in a Record over this
 * union, so a new code cannot silently become a 500.
 */
export type ErrorCode =
  | 'session_not_found'
  | 'session_deleted'
  | 'session_cleared'
  | 'validation_failed'
  | 'prompt_too_long'
  | 'context_too_long'
  | 'llm_unavailable'
  | 'llm_bad_response'
  | 'llm_timeout'
  | 'turn_aborted'
  | 'store_unavailable'
  | 'storage_full'
  | 'session_busy'
  | 'lock_lost'
  | 'unauthorized'
  | 'forbidden'
  | 'auth_disabled'
  | 'username_taken'
  | 'last_admin'
  | 'user_not_found'
  | 'api_key_not_found'
  | 'too_many_attempts'
  | 'sso_not_configured'
  | 'sso_invalid_state'
  | 'sso_account_conflict'
  | 'sso_denied'
  | 'sso_bad_response'
  | 'sso_unavailable'
  | 'sso_timeout'
  | 'template_not_found'
  | 'template_read_only'
  | 'share_not_found'
  | 'precondition_failed'
  | 'import_unreadable'
  | 'item_not_found'
  | 'response_not_found'
  | 'model_not_found';

/** An error the core raises: a stable machine code and a sentence for people, no HTTP status. */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class SessionNotFoundError extends DomainError {
  readonly code = 'session_not_found';
  constructor(sessionId: string) {
    super(`Session ${sessionId} was not found.`);
  }
}

/** The session went away (deleted, pruned) while one of its turns was in progress. */
export class SessionDeletedError extends DomainError {
  readonly code = 'session_deleted';
  constructor(sessionId: string) {
    super(`Session ${sessionId} was deleted while the model was answering.`);
  }
}

/** The session's history was cleared while one of its turns was in progress. */
export class SessionClearedError extends DomainError {
  readonly code = 'session_cleared';
  constructor(sessionId: string) {
    super(`The history of session ${sessionId} was cleared while the model was answering.`);
  }
}

export class InvalidInputError extends DomainError {
  readonly code = 'validation_failed';
}

/** Bad input in one named field (`items[2].role`). */
export class InvalidFieldError extends InvalidInputError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A conversation item (a stored message) that does not exist in the conversation named. */
export class ItemNotFoundError extends DomainError {
  readonly code = 'item_not_found';
  constructor(itemId: string) {
    super(`No item ${itemId} in this conversation.`);
  }
}

/** A model this service does not offer (OPENAI_MODELS). */
export class ModelNotFoundError extends DomainError {
  readonly code = 'model_not_found';
  constructor(model: string) {
    super(`The model ${model} is not offered here: see GET /v1/models.`);
  }
}

/** A response that was never stored (or whose conversation is gone). */
export class ResponseNotFoundError extends DomainError {
  readonly code = 'response_not_found';
  constructor(responseId: string) {
    super(`Response ${responseId} was not found.`);
  }
}

export class PromptTooLongError extends DomainError {
  readonly code = 'prompt_too_long';
  constructor(length: number, max: number) {
    super(`The prompt is ${length} characters long; at most ${max} are accepted.`);
  }
}

/** The prompt alone (with the system prompt) needs more tokens than the session's budget allows. */
export class ContextTooLongError extends DomainError {
  readonly code = 'context_too_long';
  constructor(tokens: number, max: number) {
    super(`The prompt needs ${tokens} tokens with the system prompt; the session's token budget (max_tokens) is ${max}.`);
  }
}

/** The model server could not be reached, or no model is configured. */
export class LlmUnavailableError extends DomainError {
  readonly code = 'llm_unavailable';
}

/** The model server answered with an error or with something that is not an answer. */
export class LlmBadResponseError extends DomainError {
  readonly code = 'llm_bad_response';
}

export class LlmTimeoutError extends DomainError {
  readonly code = 'llm_timeout';
}

/** The client went away before the model finished; nothing is answered. */
export class TurnAbortedError extends DomainError {
  readonly code = 'turn_aborted';
}

/** The database cannot be reached, refuses writes, or did not answer in time. */
export class StoreUnavailableError extends DomainError {
  readonly code = 'store_unavailable';
}

/** The database has no room left for the write. */
export class StorageFullError extends DomainError {
  readonly code = 'storage_full';
}

/** The session stayed locked by other work for longer than a turn may wait in line. */
export class SessionBusyError extends DomainError {
  readonly code = 'session_busy';
  constructor(sessionId: string, waitedMs: number) {
    super(`Session ${sessionId} is busy: other work on it held it for ${waitedMs} ms; try again.`);
  }
}

/** The session's lock expired or was taken while the work ran: its result is not stored. */
export class LockLostError extends DomainError {
  readonly code = 'lock_lost';
  constructor(sessionId: string) {
    super(`Session ${sessionId} lost its lock while the model was answering; the reply was not stored. Try again.`);
  }
}

/** No valid credentials: no token, a malformed, expired or forged one, or a revoked API key. */
export class UnauthorizedError extends DomainError {
  readonly code = 'unauthorized';
}

/** The caller is known but may not do this (an admin route, closed registration). */
export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
}

/** Accounts are off (AUTH_MODE=off): there is nothing to sign in to. */
export class AuthDisabledError extends DomainError {
  readonly code = 'auth_disabled';
  constructor() {
    super('Accounts are off (AUTH_MODE=off): this route is available with AUTH_MODE=jwt only.');
  }
}

export class UsernameTakenError extends DomainError {
  readonly code = 'username_taken';
  constructor(username: string) {
    super(`The username "${username}" is taken.`);
  }
}

/** The change would leave no admin. */
export class LastAdminError extends DomainError {
  readonly code = 'last_admin';
  constructor() {
    super('The last admin cannot be demoted or deleted: make another user admin first.');
  }
}

export class UserNotFoundError extends DomainError {
  readonly code = 'user_not_found';
  constructor(userId: string) {
    super(`User ${userId} was not found.`);
  }
}

export class ApiKeyNotFoundError extends DomainError {
  readonly code = 'api_key_not_found';
  constructor(keyId: string) {
    super(`API key ${keyId} was not found.`);
  }
}

/** Too many failed sign-ins for one username or address; `retryAfterSeconds` says when to try again. */
export class TooManyAttemptsError extends DomainError {
  readonly code = 'too_many_attempts';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed sign-ins: try again in ${retryAfterSeconds} seconds.`);
  }
}

export class SsoNotConfiguredError extends DomainError {
  readonly code = 'sso_not_configured';
  constructor() {
    super('Single sign-on is not configured here (OIDC_ISSUER and the other OIDC_ variables, with AUTH_MODE=jwt).');
  }
}

/** The callback does not belong to a sign-in this service started: no, an expired or a tampered state. */
export class SsoInvalidStateError extends DomainError {
  readonly code = 'sso_invalid_state';
}

/** The provider's identity cannot get an account here (its subject is linked under another issuer). */
export class SsoAccountConflictError extends DomainError {
  readonly code = 'sso_account_conflict';
}

/** The provider refused the sign-in (the user declined, or the code was not accepted). */
export class SsoDeniedError extends DomainError {
  readonly code = 'sso_denied';
}

/** The provider answered something we cannot accept (a bad ID token, a malformed reply). */
export class SsoBadResponseError extends DomainError {
  readonly code = 'sso_bad_response';
}

export class SsoUnavailableError extends DomainError {
  readonly code = 'sso_unavailable';
}

export class SsoTimeoutError extends DomainError {
  readonly code = 'sso_timeout';
}

export class TemplateNotFoundError extends DomainError {
  readonly code = 'template_not_found';
  constructor(id: string) {
    super(`Template ${id} was not found.`);
  }
}

/** Built-in templates are shared by everyone and defined in code: copy one to make your own. */
export class TemplateReadOnlyError extends DomainError {
  readonly code = 'template_read_only';
  constructor(id: string) {
    super(`Template ${id} is built-in and cannot be changed or deleted; create a template of your own instead.`);
  }
}

export class ShareNotFoundError extends DomainError {
  readonly code = 'share_not_found';
  constructor(shareId: string) {
    super(`Shared conversation ${shareId} was not found (never shared, revoked, or its session deleted).`);
  }
}

/** An If-Match that names a version the session no longer has: someone changed it meanwhile. */
export class StaleVersionError extends DomainError {
  readonly code = 'precondition_failed';
  constructor(sessionId: string) {
    super(`Session ${sessionId} was changed since you read it (If-Match names an older version): reload it and try again.`);
  }
}
