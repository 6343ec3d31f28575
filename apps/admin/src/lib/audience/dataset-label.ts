import type { DatasetInfo } from '$lib/api/client';
import type { Locale } from '$lib/i18n/i18n.svelte';

/**
 * A dataset's name for people in the UI language (the registry's label), or null when the registry gives none:
 * then only its technical name is shown.
 */
export function datasetLabel(d: Pick<DatasetInfo, 'label'>, locale: Locale): string | null {
  return d.label?.[locale] ?? null;
}

/** The label with the technical name beside it, for a sentence ("Bank employees (BL_No_worker)"). */
export function datasetTitle(d: Pick<DatasetInfo, 'name' | 'label'>, locale: Locale): string {
  const label = datasetLabel(d, locale);
  return label && label !== d.name ? `${label} (${d.name})` : d.name;
}
