import { completeIin } from '@campaigns/core';

/**
 * `count` distinct valid IINs from serial `start` on, deterministic: people born in 1990 (day and month vary),
 * century digit 3, then a 4-digit serial: up to 3,360,000 values.
 */
export function validIins(count: number, start = 0): string[] {
  const out: string[] = [];
  for (let serial = start; out.length < count; serial++) {
    const day = String((serial % 28) + 1).padStart(2, '0');
    const month = String((Math.floor(serial / 28) % 12) + 1).padStart(2, '0');
    const rest = Math.floor(serial / 336);
    if (rest > 9999) throw new RangeError('validIins: at most 3,360,000 values');
    const iin = completeIin(`90${month}${day}3${String(rest).padStart(4, '0')}`);
    if (iin) out.push(iin);
  }
  return out;
}
