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
    console.log(
      `${rows.toLocaleString('en')} rows (${(buffer.length / 1024 / 1024).toFixed(1)} MB CSV): report shown after ${seconds.toFixed(1)} s`,
    );
  }
  console.log('(chromium and the API server on the same machine, demo data for 1,000 clients)');
} finally {
  await browser.close();
  await server.stop();
}
