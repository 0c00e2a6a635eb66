import { Body, Controller, Delete, Get, HttpCode, Ip, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Public } from '../common/http/access';
import { ApiErrors } from '../common/http/api-docs';
import { AppConfig } from '../config/app-config';
import { AuthService } from './auth.service';
import { SSO_LOGIN_PATH } from './oidc.controller';
import { ApiKey, User } from './domain/user';
import {
  ApiKeyDto,
  ApiKeyIdParamsDto,
  AuthConfigResponseDto,
  CreateApiKeyRequestDto,
  CreatedApiKeyDto,
  LoginRequestDto,
  RegisterRequestDto,
  RegisterResponseDto,
  TokenResponseDto,
  UserDto,
} from './dto/auth.dto';

@ApiTags('auth')
@ApiErrors(400, 401, 429)
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  /** How clients sign in here: whether accounts are on, and the single sign-on provider if any. Open. */
  @Public()
  @Get('config')
  @ApiOperation({ summary: 'Sign-in configuration' })
  @ApiOkResponse({ type: AuthConfigResponseDto })
  authConfig(): AuthConfigResponseDto {
    const { oidc } = this.config.auth;
    return { mode: this.config.auth.mode, sso: oidc ? { name: oidc.name, login_url: SSO_LOGIN_PATH } : null };
  }

  /** Creates an account and signs it in. The first account is the admin. Open unless ALLOW_REGISTRATION=false (403). */
  @Public()
  @Post('register')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an account' })
  @ApiCreatedResponse({ type: RegisterResponseDto })
  @ApiErrors(403, 404, 409, 415)
  async register(@Body() body: RegisterRequestDto): Promise<RegisterResponseDto> {
    const { user, token } = await this.auth.register(body.username, body.password);
    return { user: toUserDto(user), access_token: token.token };
  }

  /** Exchanges a username and password for an access token. Repeated failures answer 429 with Retry-After. */
  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiErrors(404, 415)
  async login(@Body() body: LoginRequestDto, @Ip() ip: string): Promise<TokenResponseDto> {
    const token = await this.auth.login(body.username, body.password, ip);
    return { access_token: token.token, token_type: 'Bearer', expires_in: token.expiresInSeconds };
  }

  /** The signed-in user (in AUTH_MODE=off, the implicit local admin). */
  @Get('me')
  @ApiOperation({ summary: 'Who am I' })
  @ApiOkResponse({ type: UserDto })
  me(@CurrentCaller() caller: Caller): UserDto {
    return { id: caller.id, username: caller.username, role: caller.role };
  }

  /** Creates an API key for programs; the key is in this reply only. */
  @Post('keys')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an API key' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiErrors(404, 415)
  async createKey(@CurrentCaller() caller: Caller, @Body() body: CreateApiKeyRequestDto): Promise<CreatedApiKeyDto> {
    const { key, secret } = await this.auth.createKey(userOf(caller), body.name);
    return { id: key.id, name: key.name, key: secret };
  }

  /** The caller's API keys (never the keys themselves). */
  @Get('keys')
  @ApiOperation({ summary: 'List my API keys' })
  @ApiOkResponse({ type: [ApiKeyDto] })
  @ApiErrors(404)
  async listKeys(@CurrentCaller() caller: Caller): Promise<ApiKeyDto[]> {
    return (await this.auth.listKeys(userOf(caller))).map(toApiKeyDto);
  }

  /** Revokes one of the caller's API keys: it is refused at once, on every instance. */
  @Delete('keys/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key' })
  @ApiNoContentResponse({ description: 'Revoked.' })
  @ApiErrors(404)
  async revokeKey(@CurrentCaller() caller: Caller, @Param() params: ApiKeyIdParamsDto): Promise<void> {
    await this.auth.revokeKey(userOf(caller), params.id.toLowerCase());
  }
}

function userOf(caller: Caller): User {
  return { id: caller.id, username: caller.username, role: caller.role, createdAt: new Date(0) };
}

export function toUserDto(user: Pick<User, 'id' | 'username' | 'role'>): UserDto {
  return { id: user.id, username: user.username, role: user.role };
}

function toApiKeyDto(key: ApiKey): ApiKeyDto {
  return { id: key.id, name: key.name, created_at: key.createdAt.toISOString(), last_used_at: key.lastUsedAt?.toISOString() ?? null };
}
