import { describe, expect, it } from 'vitest';
import { wholeBuffer } from './whole-buffer';

describe('wholeBuffer', () => {
  it("hands over a view's buffer only when the view is all of it", () => {
    const own = new Uint8Array(1 << 20);
    expect(wholeBuffer(own)).toEqual([own.buffer]);
    expect(wholeBuffer(Buffer.alloc(1 << 16))).toHaveLength(1);
    // A small Buffer is a slice of Node's shared pool; a subarray is part of its buffer: both are copied.
    expect(wholeBuffer(Buffer.from('small'))).toEqual([]);
    expect(wholeBuffer(own.subarray(1))).toEqual([]);
    expect(wholeBuffer(own.subarray(0, 10))).toEqual([]);
    expect(wholeBuffer(new Uint8Array(new SharedArrayBuffer(8)))).toEqual([]);
  });
});
