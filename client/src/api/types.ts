import type { paths } from './schema';

/** The JSON body of a response or request, read from the generated OpenAPI types by path, so a contract change breaks the build. */
type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type GenerateRequest = Json<paths['/api/generate']['post']['requestBody']>;
export type GenerateReply = Json<paths['/api/generate']['post']['responses'][200]>;
export type HistoryReply = Json<paths['/api/get_history']['post']['responses'][200]>;
export type StoredMessage = HistoryReply['messages'][number];
export type ClearHistoryReply = Json<paths['/api/clear_history']['post']['responses'][200]>;
export type SessionSummary = Json<paths['/api/session_names']['get']['responses'][200]>[number];
export type ActiveSessions = Json<paths['/api/sessions']['get']['responses'][200]>;
export type SessionStats = Json<paths['/api/session_stats']['get']['responses'][200]>['stats'];
export type CleanupReply = Json<paths['/api/cleanup_sessions']['post']['responses'][200]>;
export type HealthReport = Json<paths['/api/health']['get']['responses'][200]>;

/** The error body every route answers with (`detail` is meant for people). */
export interface ApiErrorBody {
  status: number;
  code: string;
  detail: string;
}
