import { api, call } from '../../api/client';
import type { ImportBody, ImportReport } from '../../api/types';

/** A file read for import: its name and text, or why it cannot be sent. */
export interface ReadFile {
  name: string;
  text: string;
}

export class UnreadableFile extends Error {}

/** Reads the chosen file; a file that is not JSON is refused here, before any upload. */
export async function readImportFile(file: File): Promise<ReadFile> {
  const text = await readText(file);
  try {
    JSON.parse(text);
  } catch {
    throw new UnreadableFile(`This is not a JSON file. Choose the conversations.json of a ChatGPT or Claude export, or a file exported here.`);
  }
  return { name: file.name, text };
}

/** Sends the file as it is (the server's details name positions in it); `dryRun` stores nothing. */
export async function importConversations(file: ReadFile, dryRun: boolean): Promise<ImportReport> {
  const { data } = await call(
    api.POST('/api/sessions/import', {
      params: { query: { dry_run: dryRun } },
      body: [] as ImportBody, // replaced by the file's own text below
      bodySerializer: () => file.text,
    }),
  );
  return data;
}

/** FileReader rather than `file.text()`, which jsdom (the component tests) lacks. */
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(new UnreadableFile('The file could not be read.'));
    reader.readAsText(file);
  });
}
