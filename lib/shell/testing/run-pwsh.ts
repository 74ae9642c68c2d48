// Test support: runs real pwsh (never a mock) for the quoting and generation tests.
import { execFile } from 'node:child_process';
import path from 'node:path';

/** Path of the pwsh the tests use: PWSH_PATH or the repo's .NET-tool install. */
export const pwshPath = path.resolve(process.env.PWSH_PATH ?? '.tools/pwsh/pwsh');

/** Runs `script` as `pwsh -NoProfile -NonInteractive -Command <script>` and resolves with stdout, rejecting on a non-zero exit. */
export function runPwsh(script: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      pwshPath,
      ['-NoProfile', '-NonInteractive', '-Command', script],
      { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`pwsh failed: ${error.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

/** Same as runPwsh but resolves with the exit code and both streams, for tests that expect failures. */
export function runPwshRaw(
  script: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      pwshPath,
      ['-NoProfile', '-NonInteractive', '-Command', script],
      { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
