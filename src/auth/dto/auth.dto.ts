import { IsIn, IsString, IsUUID, Length, Matches, MaxLength, MinLength } from 'class-validator';

export class RegisterRequestDto {
  /** 3–64 characters: letters, digits, `.`, `_`, `-`. Compared without case (stored lower-cased). */
  @IsString()
  @Length(3, 64)
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'username may contain only letters, digits, ".", "_" and "-"' })
  username: string;

  /** At least 8 characters. */
  @IsString()
  @MinLength(8)
  @MaxLength(1024)
  password: string;
}

export class LoginRequestDto {
  @IsString()
  @MaxLength(64)
  username: string;

  @IsString()
  @MaxLength(1024)
  password: string;
}

export class UserDto {
  id: string;
  username: string;
  @IsIn(['admin', 'user'])
  role: 'admin' | 'user';
}

export class UserDetailsDto extends UserDto {
  /** ISO-8601, UTC. */
  created_at: string;
}

export class TokenResponseDto {
  /** Send it as `Authorization: Bearer <access_token>`. */
  access_token: string;
  token_type: 'Bearer';
  /** Seconds until the token expires. */
  expires_in: number;
}

export class RegisterResponseDto {
  user: UserDto;
  access_token: string;
}

export class SsoDto {
  name: string;
  login_url: string;
}

export class AuthConfigResponseDto {
  /** `off`: no accounts, one local admin; `jwt`: sign-in required. */
  mode: 'off' | 'jwt';
  /** Single sign-on, when configured; null otherwise. */
  sso: SsoDto | null;
}

export class CreateApiKeyRequestDto {
  /** What the key is for, to tell keys apart. */
  @IsString()
  @Length(1, 100)
  name: string;
}

export class ApiKeyDto {
  id: string;
  name: string;
  /** ISO-8601, UTC. */
  created_at: string;
  /** ISO-8601, UTC; null until first used (updated at most once a minute). */
  last_used_at: string | null;
}

export class CreatedApiKeyDto {
  id: string;
  name: string;
  /** The key: shown only this once, stored only as a hash. Send it as `Authorization: Bearer <key>`. */
  key: string;
}

export class ApiKeyIdParamsDto {
  @IsUUID('all')
  id: string;
}
