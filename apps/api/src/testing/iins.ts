import { completeIin } from '@campaigns/core';

/** `count` distinct valid IINs (people born 1990-01-01 .. onwards, century digit 3), deterministic. */
export function validIins(count: number, start = 0): string[] {
  const out: string[] = [];
  for (let serial = start; out.length < count; serial++) {
    const day = String((serial % 28) + 1).padStart(2, '0');
    const first11 = `9001${day}3${String(Math.floor(serial / 28)).padStart(4, '0')}`;
    const iin = completeIin(first11);
    if (iin) out.push(iin);
  }
  return out;
}
