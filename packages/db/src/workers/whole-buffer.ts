// Which memory a message may hand to a worker instead of copying it: the whole ArrayBuffer of a view that spans
// all of it. Handing it over leaves the sender no copy for its GC to sweep (a 34 MB body, a 24 MB file). A view
// on part of a buffer (a slice of Node's shared Buffer pool, a read that held more) must be copied instead, or
// the rest of that buffer would go with it and break whoever else reads it.

/** The transfer list for `view`: its buffer when the view is all of it, else nothing (a copy). */
export function wholeBuffer(view: ArrayBufferView): ArrayBuffer[] {
  const { buffer } = view;
  const whole = view.byteOffset === 0 && view.byteLength === buffer.byteLength;
  return whole && buffer instanceof ArrayBuffer && buffer.byteLength > 0 ? [buffer] : [];
}
