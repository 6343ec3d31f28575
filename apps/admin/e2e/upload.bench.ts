// How long a marketer waits for the validation report of a large CSV, through the whole path: the browser reads the
// file, uploads it as base64 JSON, the API parses it in a worker thread (progress over SSE), the report renders.
// Prints the figures for 100,000 and 1,000,000 rows; not a test (no timed assertions).
import { completeIin } from '@campaigns/core';
import { chromium } from 'playwright-core';
import { startServer } from './server';

function csvOf(rows: number): Buffer {
  const lines = ['iin'];
  // Distinct valid IINs from a counter (dates are only a convention; length and check digit are the rules).
  for (let n = 0; lines.length <= rows; n++) {
    const iin = completeIin(`90${String(n).padStart(9, '0')}`);
    if (iin) lines.push(iin);
  }
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

/** The peer: the same upload straight to the API from Node (no browser, no rendering), polling the job. */
async function apiOnlySeconds(baseUrl: string, password: string, buffer: Buffer): Promise<number> {
  const headers = { 'content-type': 'application/json', origin: baseUrl };
  const login = await fetch(`${baseUrl}/trpc/auth.login`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ username: 'marketer', password }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const started = performance.now();
  const upload = await fetch(`${baseUrl}/trpc/audiences.upload`, {
    method: 'POST',
    headers: { ...headers, cookie },
    body: JSON.stringify({ filename: 'peer.csv', content_base64: buffer.toString('base64') }),
  });
  const { result } = (await upload.json()) as { result: { data: { job: { id: string } } } };
  for (;;) {
    const input = encodeURIComponent(JSON.stringify({ id: result.data.job.id }));
    const job = (await (
      await fetch(`${baseUrl}/trpc/jobs.get?input=${input}`, { headers: { cookie } })
    ).json()) as {
      result: { data: { status: string } };
    };
    if (job.result.data.status !== 'running') return (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const server = await startServer({ clients: 1000 });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 860 } })).newPage();
  await page.goto(`${server.baseUrl}/signin`);
  await page.getByLabel('User name').fill('marketer');
  await page.getByLabel('Password').fill(server.passwords.marketer ?? '');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/campaigns$/);
  for (const rows of [100_000, 1_000_000]) {
    const buffer = csvOf(rows);
    await page.goto(`${server.baseUrl}/campaigns/new`);
    await page.getByRole('button', { name: 'Discard draft' }).click();
    const started = performance.now();
    await page
      .getByTestId('audience-file')
      .setInputFiles({ name: `${rows}.csv`, mimeType: 'text/csv', buffer });
    await page.waitForFunction(
      (n) =>
        document.querySelector('[data-testid="accepted-count"]')?.textContent?.replace(/\D/g, '') ===
        String(n),
      rows,
      { timeout: 300_000 },
    );
    const seconds = (performance.now() - started) / 1000;
    const peer = await apiOnlySeconds(server.baseUrl, server.passwords.marketer ?? '', buffer);
    console.log(
      `${rows.toLocaleString('en')} rows (${(buffer.length / 1024 / 1024).toFixed(1)} MB CSV): report shown in the browser after ${seconds.toFixed(1)} s; the same upload from Node straight to the API ${peer.toFixed(1)} s`,
    );
  }
  console.log('(chromium and the API server on the same machine, demo data for 1,000 clients)');
} finally {
  await browser.close();
  await server.stop();
}
