import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DatasetProblemCode } from '@campaigns/core';
import type { DatasetDescription } from '@campaigns/db';

export interface DatasetFileFacts {
  /** The file's modification time (ISO), null when there is no readable file. */
  file_mtime: string | null;
  file_bytes: number | null;
}

/**
 * Adds each dataset's file time and size, and marks a dataset whose file is missing or unreadable as skipped
 * with the reason. The store reports such a dataset as `not_loaded` until a run tries it (it does not cache a
 * missing file), but the admin screen should say at once that it cannot be used.
 */
export async function withFileFacts(
  dataDir: string,
  list: DatasetDescription[],
): Promise<Array<DatasetDescription & DatasetFileFacts>> {
  return Promise.all(
    list.map(async (d) => {
      const file = path.resolve(dataDir, d.file);
      const problem = await fileProblem(file, d.file, dataDir);
      if (problem) return { ...d, status: 'skipped' as const, problem, file_mtime: null, file_bytes: null };
      const info = await stat(file);
      return { ...d, file_mtime: info.mtime.toISOString(), file_bytes: info.size };
    }),
  );
}

async function fileProblem(
  file: string,
  name: string,
  dataDir: string,
): Promise<{ code: DatasetProblemCode; reason: string } | null> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return { code: 'DATASET.UNREADABLE', reason: `${name} is not a file` };
    await access(file, constants.R_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return { code: 'DATASET.FILE_MISSING', reason: `file ${name} does not exist in ${dataDir}` };
    }
    return { code: 'DATASET.UNREADABLE', reason: `${name}: ${(error as Error).message}` };
  }
}
