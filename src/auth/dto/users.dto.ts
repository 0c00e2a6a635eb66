import { IsIn, IsUUID, Max, Min } from 'class-validator';
import { QueryInt } from '../../common/http/transforms';
import { INT32_MAX, IsSafeInt, WithDefault } from '../../common/http/validators';

export class ListUsersQueryDto {
  /** Page size. */
  @WithDefault()
  @QueryInt()
  @IsSafeInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;

  /** Users to skip. */
  @WithDefault()
  @QueryInt()
  @IsSafeInt()
  @Min(0)
  @Max(INT32_MAX)
  offset: number = 0;
}

export class UserIdParamsDto {
  @IsUUID('all')
  id: string;
}

export class UpdateUserRequestDto {
  @IsIn(['admin', 'user'])
  role: 'admin' | 'user';
}
