// A request answered before its body was read (a 413, a 401 unread, any early refusal): the client may still be
// sending. Closing at once left its bytes unread, and the kernel answered them with a reset that could reach the
// client before it had read the answer (some of the stall bench's 40 anonymous 31 MB sign-ins ended as failed
// connections). So, as web servers do, the rest is read and dropped up to a bound, then no longer read, and the
// connection is closed a little later: the client reads its answer, and a big body still costs little.
import type { IncomingMessage } from 'node:http';

/** Bytes of an unread body read and dropped at most after its request was answered (each read is a new buffer). */
export const unreadBodyDropBytes = 256 << 10;
/** How long a connection with a body still coming stays open after the answer, for the client to read it. */
export const unreadBodyLingerMs = 2000;

/** Once `req` is answered: drops what comes of its body up to the bound, and closes if it has not ended by then. */
export function lingerOverUnreadBody(req: IncomingMessage): void {
  if (req.complete || req.destroyed) return;
  const socket = req.socket;
  const timer = setTimeout(() => socket.destroy(), unreadBodyLingerMs);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  // The whole body came within the bound: the connection goes on as any other.
  req.once('end', () => clearTimeout(timer));
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > unreadBodyDropBytes) req.pause(); // read no more; the client's sends wait
  });
}
