// Typed arrays that worker threads can read without a copy: a SharedArrayBuffer posted to a worker is shared,
// a plain ArrayBuffer is copied (or moved away from its owner).

/** A typed array on a SharedArrayBuffer where the platform has one (so workers can share it), else a plain one. */
export function sharedArray<T extends Uint32Array | Float64Array>(
  kind: { new (buffer: ArrayBufferLike): T; BYTES_PER_ELEMENT: number },
  length: number,
): T {
  const bytes = length * kind.BYTES_PER_ELEMENT;
  return new kind(
    typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes),
  );
}
