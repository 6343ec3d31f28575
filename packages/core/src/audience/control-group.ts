// Control group: a share of the final audience held back, stratified so target and control look alike
// (sex x age band from the IIN by default). Each IIN gets a hash of (IIN, seed); within each stratum the IINs
// with the smallest hashes form the control. The split depends only on the set of IINs, the seed and the strata,
// never on input order, and it repeats exactly for the same seed (the campaign code).
import { IIN_STRATA, iinStratumIndex } from '../iin-facts';
import { type IinVector, sortUnique } from './iin-vector';

export interface ControlSplitOptions {
  /** Share of each stratum held back as control, 0 <= share < 1 (rounded per stratum). */
  share: number;
  /** Any string; the campaign code in practice. */
  seed: string;
  /**
   * Strata: by default sex x age band from each IIN on `asOf`. Or a label per IIN (aligned with the sorted
   * unique IINs passed in) or a function of the IIN, e.g. from a dataset column.
   */
  strata?: readonly string[] | ((iin: number) => string);
  /** Day the ages are computed for (default: today). */
  asOf?: Date;
}

export interface StratumCounts {
  stratum: string;
  total: number;
  target: number;
  control: number;
}

export interface ControlSplit {
  target: IinVector;
  control: IinVector;
  strata: StratumCounts[];
}

export function splitControlGroup(iins: ArrayLike<number>, options: ControlSplitOptions): ControlSplit {
  const { share } = options;
  if (!(share >= 0 && share < 1)) throw new RangeError(`control share must be in [0, 1), got ${share}`);
  const sorted = sortUnique(iins);
  const n = sorted.length;
  const { codes, labels } = stratumCodes(sorted, options);
  const [seedLo, seedHi] = seedWords(options.seed);
  const hashes = new Float64Array(n);
  for (let i = 0; i < n; i++) hashes[i] = mixIin(sorted[i] as number, seedLo, seedHi);

  // Per stratum: the control takes the `want` smallest hashes; ties at the threshold go to the smaller IIN.
  const totals = new Uint32Array(labels.length);
  for (let i = 0; i < n; i++) totals[codes[i] as number]!++;
  const offsets = new Uint32Array(labels.length + 1);
  for (let s = 0; s < labels.length; s++) offsets[s + 1] = (offsets[s] as number) + (totals[s] as number);
  const byStratum = new Float64Array(n);
  const fill = offsets.slice(0, labels.length);
  for (let i = 0; i < n; i++) byStratum[fill[codes[i] as number]!++] = hashes[i] as number;
  const threshold = new Float64Array(labels.length).fill(-1);
  const want = new Uint32Array(labels.length);
  const belowThreshold = new Uint32Array(labels.length);
  for (let s = 0; s < labels.length; s++) {
    want[s] = Math.round((totals[s] as number) * share);
    if (want[s] === 0) continue;
    const group = byStratum.subarray(offsets[s] as number, offsets[s + 1] as number).sort();
    const t = group[(want[s] as number) - 1] as number;
    threshold[s] = t;
    let below = 0;
    while (below < group.length && (group[below] as number) < t) below++;
    belowThreshold[s] = below;
  }
  const isControl = new Uint8Array(n);
  const tiesTaken = new Uint32Array(labels.length);
  let controlCount = 0;
  for (let i = 0; i < n; i++) {
    const s = codes[i] as number;
    const h = hashes[i] as number;
    const t = threshold[s] as number;
    if (h < t || (h === t && (belowThreshold[s] as number) + tiesTaken[s]!++ < (want[s] as number))) {
      isControl[i] = 1;
      controlCount++;
    }
  }
  const control = new Float64Array(controlCount);
  const target = new Float64Array(n - controlCount);
  for (let i = 0, c = 0, t = 0; i < n; i++) {
    if (isControl[i]) control[c++] = sorted[i] as number;
    else target[t++] = sorted[i] as number;
  }
  const strata: StratumCounts[] = [];
  labels.forEach((stratum, s) => {
    const total = totals[s] as number;
    if (total > 0)
      strata.push({ stratum, total, control: want[s] as number, target: total - (want[s] as number) });
  });
  return { target, control, strata };
}

function stratumCodes(
  sorted: IinVector,
  options: ControlSplitOptions,
): { codes: Uint16Array | Uint32Array; labels: string[] } {
  const n = sorted.length;
  const { strata } = options;
  if (strata === undefined) {
    const asOf = options.asOf ?? new Date();
    const codes = new Uint16Array(n);
    // The stratum depends only on the first 7 digits (birth date, century/sex): compute it once per prefix.
    const byPrefix = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const iin = sorted[i] as number;
      const prefix = Math.floor(iin / 1e5);
      let code = byPrefix.get(prefix);
      if (code === undefined) {
        code = iinStratumIndex(iin, asOf);
        byPrefix.set(prefix, code);
      }
      codes[i] = code;
    }
    return { codes, labels: [...IIN_STRATA] };
  }
  if (typeof strata !== 'function' && strata.length !== n) {
    throw new RangeError(`strata has ${strata.length} labels for ${n} distinct IINs`);
  }
  const labels: string[] = [];
  const codeOf = new Map<string, number>();
  const codes = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const label = typeof strata === 'function' ? strata(sorted[i] as number) : (strata[i] as string);
    let code = codeOf.get(label);
    if (code === undefined) {
      code = labels.length;
      labels.push(label);
      codeOf.set(label, code);
    }
    codes[i] = code;
  }
  return { codes, labels };
}

/** Two 32-bit words from the seed string (FNV-1a with two offsets, then finalised). */
function seedWords(seed: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < seed.length; i++) {
    const c = seed.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return [fmix32(a), fmix32(b ^ seed.length)];
}

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
function fmix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 53-bit hash of (iin, seed) as a float in [0, 2^53): a 64-bit mix of the IIN's two halves and the seed. */
function mixIin(iin: number, seedLo: number, seedHi: number): number {
  const hi = Math.floor(iin / 4294967296);
  const lo = iin - hi * 4294967296;
  const a = fmix32((lo ^ seedLo ^ Math.imul(hi ^ seedHi, 0x9e3779b1)) >>> 0);
  const b = fmix32((hi ^ seedHi ^ Math.imul(a ^ lo, 0x27d4eb2f)) >>> 0);
  return (a >>> 11) * 4294967296 + b;
}
