import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Query, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminOnly } from '../common/http/access';
import { ApiErrors } from '../common/http/api-docs';
import { User } from './domain/user';
import { ListUsersQueryDto, UpdateUserRequestDto, UserIdParamsDto } from './dto/users.dto';
import { UserDetailsDto } from './dto/auth.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiErrors(400, 401, 403, 404, 429)
@AdminOnly()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** Every account, oldest first; the total before paging is in `X-Total-Count`. Admins only. */
  @Get()
  @ApiOperation({ summary: 'List users' })
  @ApiOkResponse({ type: [UserDetailsDto], headers: { 'X-Total-Count': { description: 'Users before paging', schema: { type: 'integer' } } } })
  async list(@Query() query: ListUsersQueryDto, @Res({ passthrough: true }) res: Response): Promise<UserDetailsDto[]> {
    const { users, total } = await this.users.list(query.limit, query.offset);
    res.setHeader('X-Total-Count', String(total));
    return users.map(toUserDetails);
  }

  /** Changes a user's role. The last admin cannot be demoted (409). Admins only. */
  @Patch(':id')
  @ApiOperation({ summary: "Change a user's role" })
  @ApiOkResponse({ type: UserDetailsDto })
  @ApiErrors(409, 415)
  async update(@Param() params: UserIdParamsDto, @Body() body: UpdateUserRequestDto): Promise<UserDetailsDto> {
    return toUserDetails(await this.users.setRole(params.id.toLowerCase(), body.role));
  }

  /** Deletes a user with their API keys, sessions and messages. The last admin cannot be deleted (409). Admins only. */
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a user and their sessions' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrors(409)
  async delete(@Param() params: UserIdParamsDto): Promise<void> {
    await this.users.delete(params.id.toLowerCase());
  }
}

function toUserDetails(user: User): UserDetailsDto {
  return { id: user.id, username: user.username, role: user.role, created_at: user.createdAt.toISOString() };
}
