/**
 * The end-to-end suite's team server: the built app in team mode (PostgreSQL + Redis), two web processes
 * (as behind a load balancer) and one `pipelab worker` process beside them, on a fresh database and
 * queue. Playwright starts it after the embedded server (which builds the app) and stops the whole
 * process group at the end.
 */
import { spawn } from 'node:child_process';
import { createDatabase } from '../db/postgres-admin';

const port = process.env.E2E_TEAM_PORT ?? '3211';
const secondPort = String(Number(port) + 1);
const databaseName = 'pipelab_e2e_team';
const adminUrl = process.env.DATABASE_URL!;
const buildServer = `http://127.0.0.1:${process.env.E2E_PORT ?? 3210}`;


/** The embedded server answers once `next build` is done; this one starts from the same build. */
async function waitForBuild(): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(buildServer)).status < 500) return;
    } catch {
      // Not up yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

const env = {
  ...process.env,
  DATABASE_URL: await createDatabase(adminUrl, databaseName, { replace: true }),
  PIPELAB_QUEUE: 'pipelab-e2e-team',
  PIPELAB_DATA_DIR: 'test-results/e2e-team-data',
  NEXT_TELEMETRY_DISABLED: '1',
  // Every web process of a team signs and reads session cookies with the same key.
  PIPELAB_AUTH_SECRET: 'e2e-team-secret-that-is-at-least-32-characters',
};
await waitForBuild();
const worker = spawn(process.execPath, ['bin/pipelab.mjs', 'worker', '--concurrency', '1'], { env, stdio: 'inherit' });
const web = spawn('npx', ['next', 'start', '-p', port], { env, stdio: 'inherit' });
const secondWeb = spawn('npx', ['next', 'start', '-p', secondPort], { env, stdio: 'inherit' });
const stop = () => {
  worker.kill('SIGTERM');
  web.kill('SIGTERM');
  secondWeb.kill('SIGTERM');
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
web.on('exit', (code) => {
  worker.kill('SIGTERM');
  secondWeb.kill('SIGTERM');
  process.exit(code ?? 0);
});
