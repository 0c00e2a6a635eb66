import { IsString, Max, MaxLength, Min } from 'class-validator';
import { QueryInt } from '../../common/http/transforms';
import { IsSafeInt, WithDefault } from '../../common/http/validators';

export class SearchQueryDto {
  /**
   * Words to find, all of them, case-insensitively: `"a phrase"` finds words side by side, `word*`
   * every word that starts with `word` (two characters at least). Other punctuation (AND, NEAR(,
   * parentheses, `-`) only separates words. At most 16 words or phrases.
   */
  @IsString()
  @MaxLength(500)
  q: string;

  /** Results per page. */
  @WithDefault()
  @QueryInt()
  @IsSafeInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  /** Results to skip; deep pages cost more, so at most 10,000. */
  @WithDefault()
  @QueryInt()
  @IsSafeInt()
  @Min(0)
  @Max(10_000)
  offset: number = 0;
}

export class SearchResultDto {
  session_id: string;
  chat_name: string;
  /** The matching message, or null when the chat name matched. */
  message_id: number | null;
  /** Who wrote the message; null when the chat name matched. */
  sender: 'Human' | 'AI' | null;
  /**
   * An excerpt around the match. Each matched word (a run of neighbouring ones as one) is enclosed in
   * the control characters U+0002 (start) and U+0003 (end); they occur nowhere else, because the
   * service turns any that a message holds into spaces. Render the pieces as text (e.g. split on them and wrap every odd piece in a
   * `<mark>` element): never as HTML.
   */
  snippet: string;
  /** When the message was written, or for a chat name the session's last activity (ISO-8601, UTC). */
  timestamp: string;
}
