import { Module } from '@nestjs/common';
import { SqlMessageSearch } from './adapters/sql-message-search';
import { MessageSearch } from './domain/message-search';
import { SearchController } from './search.controller';
import { SearchService } from './search.service';

@Module({
  controllers: [SearchController],
  providers: [SearchService, { provide: MessageSearch, useClass: SqlMessageSearch }],
})
export class SearchModule {}
