import jwt from 'jsonwebtoken';
import { IssuedToken, TokenSigner } from '../domain/token-signer';

/** HS256 tokens with `sub`, `iat` and `exp`, through `jsonwebtoken`; only HS256 is accepted back. */
export class JsonWebTokenSigner extends TokenSigner {
  constructor(
    private readonly secret: string,
    private readonly expiresInSeconds: number,
  ) {
    super();
  }

  sign(userId: string, now: Date): IssuedToken {
    const iat = Math.floor(now.getTime() / 1000);
    const token = jwt.sign({ sub: userId, iat, exp: iat + this.expiresInSeconds }, this.secret, { algorithm: 'HS256' });
    return { token, expiresInSeconds: this.expiresInSeconds };
  }

  verify(token: string, now: Date): string | null {
    try {
      const payload = jwt.verify(token, this.secret, { algorithms: ['HS256'], clockTimestamp: Math.floor(now.getTime() / 1000) });
      return typeof payload === 'object' && typeof payload.sub === 'string' && typeof payload.exp === 'number' ? payload.sub : null;
    } catch {
      return null;
    }
  }
}
