// A uniform random sample without replacement: which k of n members an audience sample shows. Pure: the
// caller brings the random source (crypto-random in the service, seeded in tests).

/**
 * `min(k, n)` distinct positions in [0, n), in ascending order, each k-subset equally likely (Floyd's
 * algorithm: k draws, whatever n is). `random` returns a float in [0, 1), like Math.random.
 */
export function drawSample(n: number, k: number, random: () => number): number[] {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(k) || k < 0)
    throw new RangeError('drawSample takes whole, non-negative n and k');
  const take = Math.min(k, n);
  const picked = new Set<number>();
  for (let j = n - take; j < n; j++) {
    const t = Math.floor(random() * (j + 1));
    picked.add(picked.has(t) ? j : t);
  }
  return [...picked].sort((a, b) => a - b);
}
