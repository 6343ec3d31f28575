// `pnpm start`: demo datasets if missing, migrations, demo users on first start, then the API and the admin SPA
// on one port. Stops gracefully on SIGINT/SIGTERM: no new requests, running deploys finish, databases close.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureDemoData } from '@campaigns/db';
import { createApp } from './app';
import { seedDemoUsers } from './demo-users';
import { loadSettings, repoRoot } from './env';
import { createAppServer } from './http/server';

async function main(): Promise<void> {
  const settings = loadSettings();
  await ensureDemoDatasets(settings.dataDir);
  ensureAdminBuild(settings.adminBuildDir);

  const app = await createApp({
    settings,
    startWorkers: true,
    onDatabaseLog: (message) => process.stdout.write(`  database: ${message}\n`),
  });
  const demoUsers = await seedDemoUsers(app);
  if (demoUsers) {
    // Printed once, on the first start, straight to the terminal (not through the logger).
    process.stdout.write('\nDemo users (shown once; change them with `pnpm cli`):\n');
    for (const u of demoUsers) process.stdout.write(`  ${u.role.padEnd(9)} ${u.username} / ${u.password}\n`);
    process.stdout.write('\n');
  }

  const server = createAppServer(app);
  server.listen(settings.port, settings.host, () => {
    // The bound port: PORT=0 asks the system for a free one (tests, several local instances).
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : settings.port;
    app.logger.info({ url: `http://${settings.host}:${port}` }, 'campaign service listening');
    process.stdout.write(`Campaign service on http://${settings.host}:${port}\n`);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'shutting down');
    // Stop accepting; let in-flight requests finish (open SSE streams get 10 s), then let running deploys and
    // webhook deliveries finish, then close the databases.
    const forceClose = setTimeout(() => server.closeAllConnections(), 10_000);
    forceClose.unref();
    server.close(() => {
      app.close().then(
        // Nothing is left running now, so the process ends by itself. Should something stay alive, say what
        // and end anyway: an operator's stop must stop.
        () => {
          setTimeout(() => {
            app.logger.error(
              { resources: process.getActiveResourcesInfo() },
              'still running after shutdown; exiting',
            );
            process.exit(1);
          }, 10_000).unref();
        },
        (error: unknown) => {
          app.logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
    server.closeIdleConnections();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** Demo datasets on the first start only (db's ensureDemoData generates them when DATA_DIR has no registry). */
async function ensureDemoDatasets(dataDir: string): Promise<void> {
  const summary = await ensureDemoData({
    dataDir,
    clients: 1_000_000,
    onProgress: (message) => process.stdout.write(`  demo data: ${message}\n`),
  });
  if (summary) {
    process.stdout.write(
      `Demo datasets for ${summary.clients} clients in ${dataDir} (${(summary.ms / 1000).toFixed(1)} s)\n`,
    );
  }
}

function ensureAdminBuild(buildDir: string): void {
  if (existsSync(`${buildDir}/index.html`) || !existsSync(`${repoRoot}/apps/admin/package.json`)) return;
  process.stdout.write('Building the admin SPA (first start only)...\n');
  const result = spawnSync('pnpm', ['--filter', '@campaigns/admin', 'build'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.stderr.write('Admin build failed; the API runs without the SPA.\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
