// Types of bench/seed.mjs, for the TypeScript tests that check it.
export interface CorpusShape {
  sessions: number;
  messages: number;
  ageDays?: [number, number];
  now?: number;
  seedValue?: number;
  vocabulary?: number;
}
export interface CorpusSession {
  id: string;
  name: string;
  createdAt: number;
  lastActivity: number;
  messages: { sender: 'Human' | 'AI'; content: string; at: number }[];
}
export interface Seeded {
  sessions: number;
  messages: number;
  /** A session long enough for a history page of 50, if the shape has one. */
  history: string;
}
export const PLANTED_PHRASE: string;
export function vocabularyWord(rank: number): string;
export function corpus(shape: CorpusShape): Generator<CorpusSession>;
export function seedCorpusSqlite(path: string, shape: CorpusShape): Seeded;
export function seedCorpusPostgres(url: string, shape: CorpusShape): Promise<Seeded>;
export function seed(path: string, shape: object): { small: string; big: string; messages: number };
export function seedSearch(path: string, shape: object): { messages: number };
