// Child process of shutdown.test.ts: the app as a bench or a tool embeds it (createApp + createAppServer on an
// ephemeral port), used once by each of its worker threads (a user created: the password worker; a sign-in and
// an upload over HTTP: the body worker and the upload parser), then closed. It must then end by itself: nothing
// here calls process.exit. Should something stay alive, what it is goes to stderr (the test shows it).
// Env: DATABASE_URL (a migrated database), DATA_DIR (a directory with a datasets.json).
import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from '../app';
import { parseSettings } from '../env';
import { createAppServer } from '../http/server';
import { createLogger } from '../logger';
import { Browser, eventually, json } from './http-client';
import { validIins } from './iins';
import { testPassword } from './test-server';

const dataDir = process.env.DATA_DIR ?? '';
await writeFile(path.join(dataDir, 'datasets.json'), '{}');
const settings = parseSettings({
  DATABASE_URL: process.env.DATABASE_URL ?? '',
  DATA_DIR: dataDir,
  DEMO_MODE: 'true',
  LOG_LEVEL: 'warn',
  ADMIN_BUILD_DIR: path.join(dataDir, 'no-admin-build'),
});
const app = await createApp({ settings, logger: createLogger('warn') });
const server = createAppServer(app);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

await app.users.create({ username: 'closer', role: 'marketer', password: testPassword }, null);
const browser = new Browser({ baseUrl, origin: baseUrl });
if ((await browser.login('closer')).status !== 200) throw new Error('sign-in failed');
const csv = `iin\n${validIins(1000).join('\n')}\n`;
const upload = await browser.trpc('audiences.upload', {
  filename: 'small.csv',
  content_base64: Buffer.from(csv).toString('base64'),
});
const jobId = (await json(upload)).result.data.job.id as string;
const job = await eventually(async () => {
  const data = (await json(await browser.trpcQuery('jobs.get', { id: jobId }))).result.data;
  return data.status === 'running' ? undefined : data;
});
if (job.result?.accepted !== 1000) throw new Error(`upload ended ${JSON.stringify(job)}`);

server.closeAllConnections();
await new Promise<void>((resolve) => server.close(() => resolve()));
await app.close();
process.stdout.write('closed\n');
// Diagnostics only: unref'd, so it never keeps the process alive itself.
setTimeout(() => {
  process.stderr.write(`still alive after close: ${process.getActiveResourcesInfo().join(', ')}\n`);
}, 5000).unref();
