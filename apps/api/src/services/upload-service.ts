import { sortUnique } from '@campaigns/core';
import type { Clock } from '../clock';
import { ApiError } from '../errors';
import { parseUploadInWorker, type UploadFormat, type UploadSummary } from '../jobs/upload-worker';
import type { JobRunner, JobView } from './job-runner';

interface StoredUpload {
  ownerId: string;
  filename: string;
  iins: Float64Array;
  summary: UploadSummary;
  until: number;
}

// An upload waits this long for the campaign it feeds; the wizard's draft keeps the upload id meanwhile.
const keepUploadMs = 6 * 60 * 60_000;
const maxUploadBytes = 24 * 1024 * 1024;

/**
 * Uploaded IIN files: parsed in a worker thread as a job with progress, kept in memory by id for the owner,
 * then referenced by `upload_id` when a campaign is created or previewed.
 */
export class UploadService {
  readonly #uploads = new Map<string, StoredUpload>();

  constructor(private readonly deps: { jobs: JobRunner; clock: Clock }) {}

  start(ownerId: string, input: { filename: string; format: UploadFormat; bytes: Uint8Array }): JobView {
    if (input.bytes.byteLength > maxUploadBytes) {
      throw new ApiError('UPLOAD.TOO_LARGE', `The file is larger than ${maxUploadBytes / 1024 / 1024} MB.`);
    }
    const estimatedRows = Math.max(
      1,
      Math.round(input.bytes.byteLength / (input.format === 'xlsx' ? 9 : 14)),
    );
    return this.deps.jobs.start({ kind: 'upload', ownerId }, async (progress) => {
      progress(0.01, `Reading ${input.filename}`);
      const { iins, summary } = await parseUploadInWorker(
        { format: input.format, bytes: input.bytes },
        (rows) => progress(Math.min(0.95, rows / estimatedRows), `${rows.toLocaleString('en')} rows read`),
      );
      const uploadId = crypto.randomUUID();
      this.#sweep();
      this.#uploads.set(uploadId, {
        ownerId,
        filename: input.filename,
        iins: sortUnique(iins),
        summary,
        until: this.deps.clock.now().getTime() + keepUploadMs,
      });
      progress(1, `${summary.accepted.toLocaleString('en')} IINs accepted`);
      return { upload_id: uploadId, filename: input.filename, ...summary };
    });
  }

  /** The accepted IINs of an upload (sorted, distinct); only its owner may use it. */
  iins(uploadId: string, ownerId: string): Float64Array {
    const upload = this.#uploads.get(uploadId);
    if (!upload || upload.ownerId !== ownerId || upload.until < this.deps.clock.now().getTime()) {
      throw new ApiError(
        'UPLOAD.NOT_FOUND',
        'That upload is gone (uploads are kept for 6 hours); upload the file again.',
      );
    }
    return upload.iins;
  }

  #sweep(): void {
    const now = this.deps.clock.now().getTime();
    for (const [id, upload] of this.#uploads) if (upload.until < now) this.#uploads.delete(id);
  }
}
