/**
 * Where log lines go: a pino destination (stdout, or pino-pretty's worker in development), or
 * anything else that takes a line, such as a test's recorder. Its own DI token.
 */
export abstract class LogDestination {
  abstract write(line: string): void;
}
