import type { paths } from './schema';

/**
 * The JSON body of a request or response, read from the generated OpenAPI types by path: a route,
 * status or body that disappears from the contract is a compile error, not a silent `never`.
 */
type Json<T extends { content: { 'application/json': unknown } }> = T['content']['application/json'];

export type GenerateRequest = Json<paths['/api/generate']['post']['requestBody']>;
export type GenerateReply = Json<paths['/api/generate']['post']['responses'][200]>;
export type StoredMessage = Json<paths['/api/get_history']['post']['responses'][200]>['messages'][number];
export type SessionSummary = Json<paths['/api/session_names']['get']['responses'][200]>[number];
export type SearchResult = Json<paths['/api/search']['get']['responses'][200]>[number];
export type ActiveSessions = Json<paths['/api/sessions']['get']['responses'][200]>;
export type SessionStats = Json<paths['/api/session_stats']['get']['responses'][200]>['stats'];

/** The error body every route answers with (`detail` is meant for people). */
export type ApiErrorBody = Json<paths['/api/get_history']['post']['responses'][404]>;

export type AuthConfig = Json<paths['/api/auth/config']['get']['responses'][200]>;
export type AuthUser = Json<paths['/api/auth/me']['get']['responses'][200]>;
export type ApiKey = Json<paths['/api/auth/keys']['get']['responses'][200]>[number];
export type CreatedApiKey = Json<paths['/api/auth/keys']['post']['responses'][201]>;

export type SessionSettings = Json<paths['/api/sessions/{session_id}/settings']['get']['responses'][200]>;
export type SettingsChange = Json<paths['/api/sessions/{session_id}/settings']['patch']['requestBody']>;
export type MemoryStrategy = SessionSettings['memory']['strategy'];
export type SessionContext = Json<paths['/api/sessions/{session_id}/context']['get']['responses'][200]>;
export type SessionChange = Json<paths['/api/sessions/{session_id}']['patch']['requestBody']>;

export type ImportReport = Json<paths['/api/sessions/import']['post']['responses'][200]>;
export type ImportBody = Json<paths['/api/sessions/import']['post']['requestBody']>;

export type BulkRequest = Json<paths['/api/sessions/bulk']['post']['requestBody']>;
export type BulkReply = Json<paths['/api/sessions/bulk']['post']['responses'][200]>;
export type Template = Json<paths['/api/templates']['get']['responses'][200]>[number];
export type ShareCreated = Json<paths['/api/sessions/{session_id}/share']['post']['responses'][201]>;
export type SharedConversation = Json<paths['/api/shared/{share_id}']['get']['responses'][200]>;
export type UsageQuery = NonNullable<paths['/api/analytics/usage']['get']['parameters']['query']>;
export type UsageSeries = Json<paths['/api/analytics/usage']['get']['responses'][200]>;
export type UsagePoint = UsageSeries['series'][number];
