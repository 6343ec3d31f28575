import { type ProductSelection, sortUnique } from '@campaigns/core';
import {
  type EncodedIinSnapshot,
  isUploadError,
  type Store,
  UploadError,
  type UploadFormat,
  type UploadParser,
  type UploadSummary,
  uploadSample,
} from '@campaigns/db';
import type { Clock } from '../clock';
import type { JobOf } from './job-results';
import type { JobRunner } from './job-runner';

// An upload waits this long for the campaign it feeds; the wizard's draft keeps the upload id meanwhile.
const keepUploadMs = 6 * 60 * 60_000;
const maxUploadBytes = 24 * 1024 * 1024;

/**
 * Uploaded IIN files: parsed in a worker thread as a job with progress, kept in the store by id for the owner
 * (any instance may serve the request that uses it), then referenced by `upload_id` when a campaign is
 * created or previewed.
 */
export class UploadService {
  constructor(private readonly deps: { store: Store; jobs: JobRunner; clock: Clock; parser: UploadParser }) {}

  start(
    ownerId: string,
    input: { filename: string; format: UploadFormat; bytes: Uint8Array; column?: number | undefined },
  ): Promise<JobOf<'upload'>> {
    if (input.bytes.byteLength > maxUploadBytes) {
      throw new UploadError(
        'UPLOAD.TOO_LARGE',
        `The file is larger than ${maxUploadBytes / 1024 / 1024} MB.`,
      );
    }
    const estimatedRows = Math.max(
      1,
      Math.round(input.bytes.byteLength / (input.format === 'xlsx' ? 9 : 14)),
    );
    return this.deps.jobs.start({ kind: 'upload', ownerId }, async (progress) => {
      progress(0.01, `Reading ${input.filename}`);
      // The file's bytes go to the worker (handed over: nothing here reads them after).
      const { snapshot, summary } = await this.deps.parser
        .parse({ format: input.format, bytes: input.bytes, column: input.column }, (rows) =>
          progress(Math.min(0.95, rows / estimatedRows), `${rows.toLocaleString('en')} rows read`),
        )
        .catch((error: unknown) => {
          if (isUploadError(error))
            throw new UploadError(error.code, `The upload cannot be read: ${error.message}`, {
              ...error.details,
            });
          throw error;
        });
      // Sorted, distinct and encoded already (the worker's answer): no pass over a million IINs on this thread.
      const uploadId = await this.#keep(ownerId, input.filename, { snapshot }, summary);
      progress(1, `${summary.accepted.toLocaleString('en')} IINs accepted`);
      // The stored report keeps up to 10,000 rows of each list (audiences.uploadRows pages them); the job's
      // result only the first 1,000, so no job answer carries megabytes.
      return { upload_id: uploadId, filename: input.filename, ...uploadSample(summary) };
    });
  }

  /**
   * An audience of everyone holding any of `products` (the product dataset), kept like an upload: the job's
   * result has the upload's shape, so preview and create take its `upload_id` the same way.
   */
  startFromProducts(
    ownerId: string,
    products: readonly string[],
    select: (products: readonly string[]) => Promise<ProductSelection>,
  ): Promise<JobOf<'upload'>> {
    const filename = `products: ${products.join(', ')}`;
    return this.deps.jobs.start({ kind: 'upload', ownerId }, async (progress) => {
      progress(0.05, 'Reading the product dataset');
      const selection = await select(products);
      // Holders come from the dataset's sorted, distinct vector; sortUnique keeps the upload invariant anyway.
      const iins = sortUnique(selection.iins);
      const summary: UploadSummary = {
        format: 'products',
        column: 'product',
        column_index: 0,
        column_chosen_by: 'products',
        column_candidates: [],
        first_data_row: 0,
        total: iins.length,
        accepted: iins.length,
        duplicates: 0,
        rejected_count: 0,
        rejected: [],
        warnings_count: 0,
        warning_counts: {},
        warnings: [],
      };
      const uploadId = await this.#keep(ownerId, filename, { iins }, summary);
      progress(1, `${iins.length.toLocaleString('en')} clients hold these products`);
      return {
        upload_id: uploadId,
        filename,
        ...uploadSample(summary),
        products: [...products],
        holders: selection.holders,
        unknown_products: selection.unknown,
      };
    });
  }

  /** The accepted IINs of an upload (sorted, distinct); only its owner may use it. */
  async iins(uploadId: string, ownerId: string): Promise<Float64Array> {
    const iins = await this.deps.store.uploads.loadIins(uploadId, ownerId, this.deps.clock.now());
    if (!iins) {
      throw new UploadError(
        'UPLOAD.NOT_FOUND',
        'That upload is gone (uploads are kept for 6 hours); upload the file again.',
      );
    }
    return iins;
  }

  async #keep(
    ownerId: string,
    filename: string,
    audience: { iins: Float64Array } | { snapshot: EncodedIinSnapshot },
    summary: UploadSummary,
  ): Promise<string> {
    const saved = await this.deps.store.uploads.save({
      ownerId,
      filename,
      ...audience,
      summary: { ...summary },
      expiresAt: new Date(this.deps.clock.now().getTime() + keepUploadMs),
    });
    return saved.id;
  }
}
