// Vectors the API's threads share instead of copying. Posting a Float64Array on its own ArrayBuffer to a worker
// copies it on the sender's thread (an 8 MB audience: 25-38 ms measured on this machine under load, issue 13
// item 3); on a SharedArrayBuffer it costs nothing, so a list the body worker parsed, the survivors the audience
// worker found and a snapshot the codec decoded go on to the next worker free. Nobody writes to a vector once it
// is shared: they are read-only by convention, as every audience vector here is once made.

/** `values` on shared memory: itself when it already is, else a copy (made by the thread that made it). */
export function sharedVector(values: Float64Array): Float64Array {
  if (values.buffer instanceof SharedArrayBuffer) return values;
  const shared = new Float64Array(new SharedArrayBuffer(values.byteLength));
  shared.set(values);
  return shared;
}
