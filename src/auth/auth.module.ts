import { randomBytes } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { MemoryModule } from '../memory/memory.module';
import { SessionStoreModule } from '../sessions/session-store.module';
import { SettingsModule } from '../settings/settings.module';
import { JsonWebTokenSigner } from './adapters/jsonwebtoken-token-signer';
import { SqlApiKeyStore } from './adapters/sql-api-key-store';
import { OpenIdClientSingleSignOn } from './adapters/openid-client-single-sign-on';
import { SqlUserStore } from './adapters/sql-user-store';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { ApiKeyStore } from './domain/api-key-store';
import { NoSingleSignOn, SingleSignOn } from './domain/single-sign-on';
import { TokenSigner } from './domain/token-signer';
import { UserStore } from './domain/user-store';
import { LoginThrottle } from './login-throttle';
import { OidcController } from './oidc.controller';
import { SsoService } from './sso.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Accounts, tokens, API keys, single sign-on, and the global guard that puts a caller on every request. */
@Module({
  imports: [SessionStoreModule, MemoryModule, SettingsModule],
  controllers: [AuthController, OidcController, UsersController],
  providers: [
    AuthService,
    SsoService,
    UsersService,
    LoginThrottle,
    { provide: UserStore, useClass: SqlUserStore },
    { provide: ApiKeyStore, useClass: SqlApiKeyStore },
    {
      provide: TokenSigner,
      inject: [AppConfig],
      // In AUTH_MODE=off nothing is signed; a random secret keeps the signer total without a configured one.
      useFactory: (config: AppConfig) =>
        new JsonWebTokenSigner(config.auth.jwtSecret ?? randomBytes(32).toString('hex'), config.auth.jwtExpiresInSeconds),
    },
    {
      provide: SingleSignOn,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => (config.auth.oidc ? new OpenIdClientSingleSignOn(config.auth.oidc) : new NoSingleSignOn()),
    },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
})
export class AuthModule {}
