import { Injectable } from '@nestjs/common';
import PDFDocument from 'pdfkit';
import { ArchivedSession } from '../domain/archive';
import { readable } from '../domain/markdown';
import { PdfRenderer } from '../domain/pdf-renderer';
import { Face, FontSet, loadFonts } from './pdf-fonts';
import { blocksOf, runsOf } from './text-runs';

const SPEAKERS = { Human: 'You', AI: 'Assistant' } as const;
const COLORS = { Human: '#1d4ed8', AI: '#047857', text: '#111111', muted: '#666666', code: '#333333' };
const MARGIN = 56;

/** PDFs through pdfkit, set in fonts from npm packages (loaded once, on the first PDF). */
@Injectable()
export class PdfkitRenderer extends PdfRenderer {
  private fonts?: FontSet;

  async render({ session, settings, messages }: ArchivedSession): Promise<Buffer> {
    const fonts = (this.fonts ??= loadFonts());
    const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: session.chatName, Creator: 'chat-sessions' }, bufferPages: false });
    const done = collect(doc);
    for (const face of [fonts.body, fonts.bold, fonts.mono, ...fonts.fallbacks]) doc.registerFont(face.name, face.data);
    write(doc, session.chatName || 'Conversation', [fonts.bold, ...fonts.fallbacks], 18, COLORS.text);
    write(doc, `Started ${readable(session.createdAt)} · last active ${readable(session.lastActivity)} · ${messages.length} messages`, [fonts.body], 9, COLORS.muted);
    if (settings?.systemPrompt) write(doc, `System prompt: ${settings.systemPrompt}`, [fonts.body, ...fonts.fallbacks], 9, COLORS.muted);
    for (const message of messages) {
      doc.moveDown(0.8);
      write(doc, `${SPEAKERS[message.sender]} · ${readable(message.timestamp)}`, [fonts.bold], 10, COLORS[message.sender]);
      doc.moveDown(0.2);
      for (const block of blocksOf(message.content)) {
        if (block.code) write(doc, block.text, [fonts.mono, ...fonts.fallbacks], 9, COLORS.code, 14);
        else write(doc, block.text, [fonts.body, ...fonts.fallbacks], 10.5, COLORS.text);
        doc.moveDown(0.3);
      }
    }
    doc.end();
    return done;
  }
}

/**
 * A paragraph, line by line (pdfkit loses a line break at the end of a run), each piece of a line
 * in the first face that has its characters.
 */
function write(doc: PDFKit.PDFDocument, text: string, faces: readonly Face[], size: number, color: string, indent = 0): void {
  const width = doc.page.width - 2 * MARGIN - indent;
  doc.fillColor(color).fontSize(size);
  for (const line of text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n')) {
    const runs = runsOf(line, faces);
    if (runs.length === 0) runs.push({ face: faces[0], text: ' ' });
    runs.forEach((run, i) => {
      doc.font(run.face.name);
      const options = { continued: i < runs.length - 1, width, lineGap: 2 };
      if (i === 0) doc.text(run.text, MARGIN + indent, doc.y, options);
      else doc.text(run.text, options);
    });
  }
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
