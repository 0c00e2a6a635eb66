import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Body, Controller, Get, Logger, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CallerScope } from '../common/http/access';
import { ApiErrors } from '../common/http/api-docs';
import { Scope } from '../sessions/domain/session';
import { attachmentHeader } from './domain/file-name';
import { toMarkdown } from './domain/markdown';
import { PdfRenderer } from './domain/pdf-renderer';
import { ArchiveDocumentDto, ExportParamsDto, ExportQueryDto, ImportQueryDto, ImportReportDto } from './dto/transfer.dto';
import { ExportService } from './export.service';
import { ImportService } from './import.service';

const TYPES = { json: 'application/json; charset=utf-8', markdown: 'text/markdown; charset=utf-8', pdf: 'application/pdf' } as const;
const EXTENSIONS = { json: 'json', markdown: 'md', pdf: 'pdf' } as const;

@ApiTags('export and import')
@ApiErrors(400, 401, 429)
@Controller()
export class TransferController {
  private readonly logger = new Logger(TransferController.name);

  constructor(
    private readonly exports: ExportService,
    private readonly imports: ImportService,
    private readonly pdf: PdfRenderer,
  ) {}

  /** One conversation as a download: the importable `chat-sessions/1` JSON, Markdown, or PDF. */
  @Get('sessions/:session_id/export')
  @ApiOperation({ summary: 'Export a conversation' })
  @ApiProduces(TYPES.json, TYPES.markdown, TYPES.pdf)
  @ApiOkResponse({ type: ArchiveDocumentDto, description: 'The file, with `Content-Disposition: attachment` and a name made from the chat name (the schema is that of `format=json`).' })
  @ApiErrors(404)
  async exportOne(@Param() params: ExportParamsDto, @Query() query: ExportQueryDto, @CallerScope() scope: Scope, @Res() res: Response): Promise<void> {
    const archived = await this.exports.one(scope, params.session_id);
    const body = query.format === 'pdf' ? await this.pdf.render(archived) : query.format === 'markdown' ? toMarkdown(archived) : this.exports.document(archived);
    res.setHeader('Content-Disposition', attachmentHeader(archived.session.chatName, EXTENSIONS[query.format]));
    res.setHeader('Content-Type', TYPES[query.format]);
    res.send(body);
  }

  /**
   * Every conversation of the caller as one `chat-sessions/1` document, streamed: the service reads
   * the sessions a page at a time as the client takes them in. A failure midway cuts the download
   * short (the JSON is then incomplete), since the 200 has already gone out.
   */
  @Get('export')
  @ApiOperation({ summary: 'Export all my conversations' })
  @ApiProduces(TYPES.json)
  @ApiOkResponse({ type: ArchiveDocumentDto, description: 'The `chat-sessions/1` document with every session of the caller.' })
  async exportAll(@CallerScope() scope: Scope, @Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', TYPES.json);
    res.setHeader('Content-Disposition', attachmentHeader(`chat-sessions-${new Date().toISOString().slice(0, 10)}`, 'json'));
    // One piece in hand at a time: the next page is read only once the socket has taken this one.
    const pieces = Readable.from(this.exports.all(scope), { objectMode: true, highWaterMark: 1 });
    try {
      await pipeline(pieces, res);
    } catch (error) {
      if (!res.destroyed) this.logger.error(`The export stopped midway: ${(error as Error).message}`);
      res.destroy();
    }
  }

  /**
   * Brings conversations in as new sessions of the caller, from our own `chat-sessions/1` JSON or
   * the `conversations.json` of a ChatGPT or Claude export (told apart by their shape), sent as the
   * JSON body. Each conversation is stored in its own transaction. `dry_run=true` answers the same
   * report and stores nothing. Bodies over IMPORT_MAX_BYTES get 413.
   */
  @Post('sessions/import')
  @ApiOperation({ summary: 'Import conversations' })
  @ApiBody({ description: 'The export file itself, as JSON.', schema: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] } })
  @ApiOkResponse({ type: ImportReportDto, description: 'With `dry_run=true`: what would be imported.' })
  @ApiResponse({ status: 201, type: ImportReportDto, description: 'Imported: the new sessions and what was skipped, with why.' })
  @ApiErrors(413, 415)
  async import(@Body() body: unknown, @Query() query: ImportQueryDto, @CallerScope() scope: Scope, @Res({ passthrough: true }) res: Response): Promise<ImportReportDto> {
    const report = await this.imports.import(body, scope, query.dry_run);
    res.status(query.dry_run ? 200 : 201);
    return { format: report.format, imported: report.imported, session_ids: report.sessionIds, skipped: report.skipped };
  }
}
