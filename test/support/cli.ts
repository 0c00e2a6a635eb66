import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface CliRun {
  readonly code: number | string;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a built tool (`dist/cli/<name>.js`) to its end, killing it after `timeoutMs`. */
export function runCli(name: string, args: readonly string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  const { env = {}, cwd, timeoutMs = 15_000 } = options;
  const script = join(__dirname, '..', '..', 'dist', 'cli', `${name}.js`);
  if (!existsSync(script)) throw new Error(`${script} is missing: run "npm run build:server" first (npm test does).`);
  const child = spawn(process.execPath, [script, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal ?? -1, stdout, stderr });
    }),
  );
}
