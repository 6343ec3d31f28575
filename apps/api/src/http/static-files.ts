import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Serves the admin SPA's static build, with index.html for any unknown path so client-side routes survive a
 * reload. Returns false when there is no build (the API still runs; `/` then answers 404).
 */
export function serveStatic(
  buildDir: string,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): boolean {
  const root = resolve(buildDir);
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile)) return false;
  let relative: string;
  try {
    relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  } catch {
    return false;
  }
  const candidate = resolve(root, relative);
  // Path traversal: never serve outside the build directory.
  const inside = candidate === root || candidate.startsWith(root + sep);
  const file =
    inside && isFile(candidate) ? candidate : isFile(`${candidate}.html`) ? `${candidate}.html` : indexFile;
  const immutable = file.includes(`${sep}_app${sep}immutable${sep}`);
  res.writeHead(200, {
    'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  createReadStream(file).pipe(res);
  return true;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
