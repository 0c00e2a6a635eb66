import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** The text a PDF parser (pdf.js, through pdf-parse) reads back from a document. */
export function pdfText(pdf: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [join(__dirname, 'pdf-text.cjs')], { timeout: 20_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    );
    child.stdin!.end(pdf);
  });
}
