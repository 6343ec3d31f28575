import type { CampaignType } from '@campaigns/core/rules';
import { api, type DatasetInfo } from '$lib/api/client';
import { jobResult } from '$lib/api/jobs';
import { fileBase64 } from '$lib/audience/file-base64';
import type { UploadResult, Wizard } from './wizard.svelte';

// Every call the new-campaign wizard makes to the API, so its components hold no request code of their own.

/** Kinds `datasets.list` can read first, so their value lists (or sizes) are known from the start. */
export type LoadedKind = 'device' | 'push' | 'product' | 'client';

export function listDatasets(load: LoadedKind[] = []): Promise<DatasetInfo[]> {
  return api.datasets.list.query({ load });
}

/** The registered dataset of a kind, read first; null when none is registered. */
export async function datasetOfKind(kind: LoadedKind): Promise<DatasetInfo | null> {
  return (await listDatasets([kind])).find((d) => d.kind === kind) ?? null;
}

/** Progress of an audience the server prepares: 0..1 and what it is doing. */
export type AudienceProgress = (fraction: number, message: string) => void;

/**
 * Sends a file and waits for the server's parse job. The bar has two phases: the browser reading the file
 * (the first 20%), then the job's own progress.
 */
export async function uploadFile(
  file: File,
  column: number | undefined,
  onProgress: AudienceProgress,
): Promise<UploadResult> {
  const content = await fileBase64(file, (p) => onProgress(0.2 * p, ''));
  const { job } = await api.audiences.upload.mutate({
    filename: file.name,
    content_base64: content,
    ...(column === undefined ? {} : { column }),
  });
  return jobResult(job.id, 'upload', (j) => onProgress(0.2 + 0.8 * j.progress, j.message));
}

/** Everyone holding any of the products, kept on the server like an upload. */
export async function selectByProducts(
  products: string[],
  onProgress: AudienceProgress,
): Promise<UploadResult> {
  const { job } = await api.audiences.byProducts.mutate({ products });
  return jobResult(job.id, 'upload', (j) => onProgress(0.2 + 0.8 * j.progress, j.message));
}

/** Values used before for stream, sub_stream, target_action and campaign_type, most used first. */
export function metadataSuggestions() {
  return api.campaigns.suggestions.query();
}

export function nextCode(campaignType: CampaignType) {
  return api.codes.next.query({ campaign_type: campaignType });
}

export function previewAudience(input: Wizard['previewInput']) {
  return api.audiences.preview.mutate(input);
}

export function savedCampaign(code: string) {
  return api.campaigns.get.query({ code });
}

/**
 * Creates the server draft once (with the wizard's idempotency key), later updates it; `submit` also sends it
 * for approval. Resolves with the campaign's code.
 */
export async function saveCampaign(wizard: Wizard, submit: boolean): Promise<string> {
  const body = wizard.campaignBody;
  if (wizard.code === null) {
    const created = await api.campaigns.create.mutate({
      ...body,
      submit,
      idempotency_key: `${wizard.idempotencyKey}-${submit ? 'submit' : 'draft'}`,
    });
    return created.campaign.campaign_code;
  }
  const { campaign_type: _type, ...changes } = body;
  const code = wizard.code;
  await api.campaigns.update.mutate({ code, ...changes, control_group: wizard.controlGroup ?? null });
  if (submit) await api.campaigns.submit.mutate({ code });
  return code;
}
