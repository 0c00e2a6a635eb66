import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const SCRIPT = join(__dirname, 'oidc-provider-server.mjs');

export interface OidcProviderOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  /** Claims of each account by subject (preferred_username, email, groups…). */
  readonly accounts: Record<string, Record<string, unknown>>;
}

/** A real OpenID provider (`oidc-provider`) in a child process on 127.0.0.1; see oidc-provider-server.mjs. */
export class OidcProvider {
  private constructor(
    private readonly child: ChildProcess,
    readonly issuer: string,
  ) {}

  static async start(options: OidcProviderOptions, timeoutMs = 15_000): Promise<OidcProvider> {
    // oidc-provider is ESM only, which Jest's loader does not run: it gets a Node process of its own.
    const child = spawn(process.execPath, [SCRIPT], { env: { PATH: process.env.PATH ?? '', OIDC_TEST_CONFIG: JSON.stringify(options) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const issuer = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The OpenID provider did not start in ${timeoutMs} ms:\n${log}`)), timeoutMs);
      child.stdout!.on('data', (d: Buffer) => {
        log += d.toString();
        const ready = /READY (\S+)/.exec(log);
        if (!ready) return;
        clearTimeout(timer);
        resolve(ready[1]);
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`The OpenID provider exited (${code}) before listening:\n${log}`));
      });
    });
    return new OidcProvider(child, issuer);
  }

  /** Changes an account's claims for its next sign-in. */
  async setAccount(subject: string, claims: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${this.issuer}/test/accounts/${encodeURIComponent(subject)}`, { method: 'PUT', body: JSON.stringify(claims) });
    if (res.status !== 204) throw new Error(`setAccount answered ${res.status}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** A browser's part in a redirect dance: follows redirects by hand and keeps cookies (every cookie goes everywhere: enough for a test). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  keep(setCookies: readonly string[] | string | undefined): void {
    for (const line of typeof setCookies === 'string' ? [setCookies] : (setCookies ?? [])) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  /** GET without following redirects; returns the status and the absolute Location. */
  async visit(url: string): Promise<{ status: number; location: string | null }> {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: this.header() }, signal: AbortSignal.timeout(10_000) });
    this.keep(res.headers.getSetCookie());
    await res.arrayBuffer();
    const location = res.headers.get('location');
    return { status: res.status, location: location === null ? null : new URL(location, url).href };
  }
}
