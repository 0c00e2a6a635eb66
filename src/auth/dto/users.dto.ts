import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { QueryInt } from '../../common/http/transforms';

export class ListUsersQueryDto {
  /** Page size. */
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number = 100;

  /** Users to skip. */
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(0)
  offset?: number = 0;
}

export class UserIdParamsDto {
  @IsUUID('all')
  id: string;
}

export class UpdateUserRequestDto {
  @IsIn(['admin', 'user'])
  role: 'admin' | 'user';
}
