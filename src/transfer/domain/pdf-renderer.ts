import { ArchivedSession } from './archive';

/** Lays a conversation out as a PDF document. */
export abstract class PdfRenderer {
  abstract render(session: ArchivedSession): Promise<Buffer>;
}
