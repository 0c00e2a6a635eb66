/** The body of every error. */
export class ErrorResponseDto {
  /** The HTTP status code. */
  status: number;
  /** A stable machine code, e.g. `session_not_found`, `validation_failed`, `llm_unavailable`. */
  code: string;
  /** What went wrong, for people. */
  detail: string;
  /** The fields that failed validation, when that is the error. */
  errors?: { field: string; messages: string[] }[];
}
