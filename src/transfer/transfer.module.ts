import { Module } from '@nestjs/common';
import { SessionStoreModule } from '../sessions/session-store.module';
import { SettingsModule } from '../settings/settings.module';
import { PdfkitRenderer } from './adapters/pdfkit-renderer';
import { PdfRenderer } from './domain/pdf-renderer';
import { ExportService } from './export.service';
import { ImportService } from './import.service';
import { TransferController } from './transfer.controller';

/** Conversations out (JSON, Markdown, PDF) and in (our JSON, ChatGPT's and Claude's exports). */
@Module({
  imports: [SessionStoreModule, SettingsModule],
  controllers: [TransferController],
  providers: [ExportService, ImportService, { provide: PdfRenderer, useClass: PdfkitRenderer }],
})
export class TransferModule {}
