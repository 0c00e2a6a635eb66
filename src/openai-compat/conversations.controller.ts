import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { CallerScope } from '../common/http/access';
import { Scope } from '../sessions/domain/session';
import { ConversationsService } from './conversations.service';
import { CreateConversationDto, CreateItemsDto, ListItemsQueryDto, UpdateConversationDto } from './dto/openai.dto';
import { ConversationDeletedDto, ConversationDto, ItemListDto, MessageItemDto } from './dto/openai-objects.dto';
import { OpenAiRoutes } from './openai-docs';
import { ConversationObject, ListObject, MessageItem } from './shapes';

/** OpenAI's Conversations API over our sessions (`conv_…` ids are session ids). */
@OpenAiRoutes(400, 401, 404, 413, 429)
@Controller('v1/conversations')
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a conversation (a session), seeded with items' })
  @ApiOkResponse({ type: ConversationDto })
  create(@Body() body: CreateConversationDto, @CallerScope() scope: Scope): Promise<ConversationObject> {
    return this.conversations.create(scope, body.metadata, body.items);
  }

  @Get(':conversation_id')
  @ApiOperation({ summary: 'Retrieve a conversation' })
  @ApiOkResponse({ type: ConversationDto })
  retrieve(@Param('conversation_id') id: string, @CallerScope() scope: Scope): Promise<ConversationObject> {
    return this.conversations.retrieve(scope, id);
  }

  @Post(':conversation_id')
  @HttpCode(200)
  @ApiOperation({ summary: "Replace a conversation's metadata" })
  @ApiOkResponse({ type: ConversationDto })
  update(@Param('conversation_id') id: string, @Body() body: UpdateConversationDto, @CallerScope() scope: Scope): Promise<ConversationObject> {
    return this.conversations.update(scope, id, body.metadata);
  }

  @Delete(':conversation_id')
  @ApiOperation({ summary: 'Delete a conversation with its items' })
  @ApiOkResponse({ type: ConversationDeletedDto })
  delete(@Param('conversation_id') id: string, @CallerScope() scope: Scope): Promise<ConversationDeletedDto> {
    return this.conversations.delete(scope, id);
  }

  @Get(':conversation_id/items')
  @ApiOperation({ summary: "List a conversation's items, by cursor" })
  @ApiOkResponse({ type: ItemListDto })
  listItems(@Param('conversation_id') id: string, @Query() query: ListItemsQueryDto, @CallerScope() scope: Scope): Promise<ListObject<MessageItem>> {
    return this.conversations.listItems(scope, id, { after: query.after, limit: query.limit, order: query.order });
  }

  @Post(':conversation_id/items')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add items to a conversation' })
  @ApiOkResponse({ type: ItemListDto })
  addItems(@Param('conversation_id') id: string, @Body() body: CreateItemsDto, @CallerScope() scope: Scope): Promise<ListObject<MessageItem>> {
    return this.conversations.addItems(scope, id, body.items);
  }

  @Get(':conversation_id/items/:item_id')
  @ApiOperation({ summary: 'Retrieve an item' })
  @ApiOkResponse({ type: MessageItemDto })
  item(@Param('conversation_id') id: string, @Param('item_id') itemId: string, @CallerScope() scope: Scope): Promise<MessageItem> {
    return this.conversations.item(scope, id, itemId);
  }

  @Delete(':conversation_id/items/:item_id')
  @ApiOperation({ summary: 'Delete an item; answers the conversation' })
  @ApiOkResponse({ type: ConversationDto })
  deleteItem(@Param('conversation_id') id: string, @Param('item_id') itemId: string, @CallerScope() scope: Scope): Promise<ConversationObject> {
    return this.conversations.deleteItem(scope, id, itemId);
  }
}
