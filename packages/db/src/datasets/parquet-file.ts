// A dataset file decoded straight from disk: the parquet reader asks for byte ranges (the footer, then each
// column chunk it needs) and gets them from an open file, so the whole file never sits in memory (a 260 MB export
// was read whole before, on each decoding thread). The handle keeps reading the version it opened even if the
// file is replaced meanwhile; the store notices the replacement and reads again.
import { open } from 'node:fs/promises';
import { type DatasetColumns, type DecodedDataset, decodeParquetDataset } from '@campaigns/core';

export async function decodeParquetFile(file: string, columns: DatasetColumns): Promise<DecodedDataset> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    // Into a buffer the reader gives (it reuses them from column chunk to column chunk), or a fresh one.
    const readInto = async (start: number, bytes: Uint8Array): Promise<void> => {
      let done = 0;
      while (done < bytes.byteLength) {
        const { bytesRead } = await handle.read(bytes, done, bytes.byteLength - done, start + done);
        if (bytesRead === 0) throw new Error(`${file} ended at ${start + done} bytes, expected ${size}`);
        done += bytesRead;
      }
    };
    const read = async (start: number, end: number): Promise<ArrayBuffer> => {
      const bytes = new Uint8Array(Math.max(0, Math.min(end, size) - start));
      await readInto(start, bytes);
      return bytes.buffer;
    };
    return await decodeParquetDataset({ size, read, readInto }, columns);
  } finally {
    await handle.close();
  }
}
