import { spawn } from 'node:child_process';

/** What /usr/bin/time -v and the clock saw of one process. `code` is null when it was stopped at its time limit. */
export interface TimedProcess {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** User + system CPU time of every thread: on a shared machine it varies less than the wall time. */
  cpuMs: number;
  peakBytes: number;
}

/**
 * Runs a command under /usr/bin/time -v, stopping it after `timeoutMs`. `onStart` is handed the pid of the
 * time process as it starts (to sample its child's memory) and answers what to call when it ends.
 */
export function timeProcess(
  command: string[],
  options: { env: NodeJS.ProcessEnv; timeoutMs: number; cwd: string; onStart?: (pid: number, started: number) => () => void },
): Promise<TimedProcess> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-v', ...command], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stop = options.onStart && child.pid ? options.onStart(child.pid, started) : () => {};
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      stop();
      const field = (name: string) => Number(new RegExp(`${name}: ([\\d.]+)`).exec(stderr)?.[1] ?? 0);
      const cpuMs = (field('User time \\(seconds\\)') + field('System time \\(seconds\\)')) * 1000;
      resolve({ code, stdout, stderr, wallMs: performance.now() - started, cpuMs, peakBytes: field('Maximum resident set size \\(kbytes\\)') * 1024 });
    });
  });
}
