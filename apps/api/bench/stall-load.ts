// The load of `stall.bench.ts`, in its own process so that making and sending the requests (a 15 MB JSON body,
// a 17 MB base64 upload) costs the measured API process nothing: a 1,000,000-row CSV upload, a 1,000,000-IIN
// create (with its deploy), the zip-bomb workbook and 40 anonymous 31 MB sign-in bodies, all at once. Prints one
// JSON line with each outcome. Usage: tsx stall-load.ts <baseUrl> <token> [only]
import { request as httpRequest } from 'node:http';
import { formatIin } from '@campaigns/core';
import { DEFAULT_DEMO_SEED, generateIins, seededRandom } from '@campaigns/db';
import { zipBombXlsx } from '@campaigns/db/upload-fixtures';
import { seedCreateRequest } from '../src/testing/seed-examples';

const [baseUrl = '', token = '', only] = process.argv.slice(2);
const rows = 1_000_000;

/** A phase boundary, told to the measuring process as it happens (wall clock, both processes share it). */
function mark(phase: string, edge: 'start' | 'end') {
  process.stdout.write(
    `${JSON.stringify({ mark: phase, edge, at: performance.timeOrigin + performance.now() })}\n`,
  );
}

interface JobAnswer {
  result: { data: { status: string; error: string | null; result: { accepted?: number } | null } };
}

/** Starts an upload job (its body made before the clock starts) and waits for it to end. */
async function upload(phase: string, filename: string, bytes: Uint8Array) {
  const body = JSON.stringify({ filename, content_base64: Buffer.from(bytes).toString('base64') });
  const started = performance.now();
  mark(`${phase} request`, 'start');
  const response = await fetch(`${baseUrl}/trpc/audiences.upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });
  const id = ((await response.json()) as { result: { data: { job: { id: string } } } }).result.data.job.id;
  mark(`${phase} request`, 'end');
  mark(`${phase} job`, 'start');
  for (;;) {
    const answer = await fetch(
      `${baseUrl}/trpc/jobs.get?input=${encodeURIComponent(JSON.stringify({ id }))}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    const job = ((await answer.json()) as JobAnswer).result.data;
    if (job.status !== 'running') {
      mark(`${phase} job`, 'end');
      const outcome =
        job.status === 'succeeded' ? `${job.result?.accepted} accepted` : `failed: ${job.error}`;
      return { ms: performance.now() - started, outcome, bytes: body.length };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function create(body: string) {
  const started = performance.now();
  mark('create + deploy', 'start');
  const response = await fetch(`${baseUrl}/campaigns/create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });
  const answer = (await response.json()) as { filter_stats?: { final_count?: number } };
  mark('create + deploy', 'end');
  return {
    ms: performance.now() - started,
    outcome: `${response.status}, final ${answer.filter_stats?.final_count}`,
    bytes: body.length,
  };
}

/** An anonymous sign-in post declaring 31 MB and sending it: the answer's status. */
function bigAnonymousLogin(): Promise<number> {
  return new Promise((resolve) => {
    const size = 31 << 20;
    const req = httpRequest(`${baseUrl}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: baseUrl, 'content-length': String(size) },
    });
    req.on('response', (res) => {
      res.resume();
      req.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    const piece = Buffer.alloc(1 << 20, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < size && !req.destroyed) {
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

async function bigLogins() {
  mark('40 big logins', 'start');
  const statuses = await Promise.all(Array.from({ length: 40 }, () => bigAnonymousLogin()));
  mark('40 big logins', 'end');
  return statuses;
}

async function main() {
  const population = generateIins(rows, seededRandom(DEFAULT_DEMO_SEED + 1));
  const iins = Array.from(population, (n) => formatIin(n));
  const csv = new TextEncoder().encode(`iin\n${iins.join('\n')}\n`);
  const createBody = JSON.stringify(seedCreateRequest({ user_iins: iins }));
  const bomb = zipBombXlsx();
  const skip = (name: string) => only !== undefined && only !== name;
  const none = Promise.resolve({ ms: 0, outcome: 'skipped', bytes: 0 });
  // Ready: the API's monitor starts when it reads this line.
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  // Nothing more comes on stdin: a stream still reading it would keep this process alive, and the bench with it.
  process.stdin.destroy();
  const started = performance.now();
  const [csvUpload, created, bombUpload, logins] = await Promise.all([
    skip('upload') ? none : upload('1M upload', 'million.csv', csv),
    skip('create') ? none : create(createBody),
    skip('bomb') ? none : upload('zip bomb', 'bomb.xlsx', bomb),
    skip('logins') ? Promise.resolve([]) : bigLogins(),
  ]);
  const wall = performance.now() - started;
  process.stdout.write(
    `${JSON.stringify({ wall, csvUpload, csvBytes: csv.length, created, bombUpload, bombBytes: bomb.length, logins })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
