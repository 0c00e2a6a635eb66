import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  readonly exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

/** The built server (`dist/main.js`) as a child process on a free port, as it runs in production. */
/** `script`: another built entry point that says "Listening on …" the same way (the benchmark's floor). */
export async function startServer(env: Record<string, string>, timeoutMs = 15_000, options: { fdLimit?: number; script?: string } = {}): Promise<ServerProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build:server" first (npm test does).`);
  const script = options.script ?? MAIN;
  // With a file-descriptor limit, a shell lowers it and then becomes the server (exec), so the pid is the server's.
  const [command, args] = options.fdLimit
    ? ['/bin/sh', ['-c', `ulimit -n ${options.fdLimit} && exec "$0" "$1"`, process.execPath, script]]
    : [process.execPath, [script]];
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH ?? '', PORT: '0', LLM_PROVIDER: 'offline', RATE_LIMIT_PER_MINUTE: '0', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The server did not start in ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const check = () => {
      const match = /Listening on (http:\/\/localhost:\d+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`The server exited before listening:\n${log}`));
    });
  });
  return { child, url, output: () => log, exited, kill: (signal = 'SIGTERM') => child.kill(signal) };
}
