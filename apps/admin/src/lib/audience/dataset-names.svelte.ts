import { api, type DatasetInfo } from '$lib/api/client';

export type DatasetNaming = Pick<DatasetInfo, 'name' | 'label'>;

/**
 * The registry's names for people, for screens that name datasets by their technical name (the sign sheet, the
 * audience sample): read once per page load; until it answers (or if it fails) a dataset shows its technical
 * name only.
 */
class DatasetNames {
  byName = $state<Record<string, DatasetNaming>>({});
  #loading: Promise<void> | null = null;

  load(): Promise<void> {
    this.#loading ??= api.datasets.list
      .query()
      .then((list) => {
        this.byName = Object.fromEntries(list.map((d) => [d.name, { name: d.name, label: d.label }]));
      })
      .catch(() => {
        this.#loading = null; // the technical names stay; the next screen asks again
      });
    return this.#loading;
  }

  of(name: string): DatasetNaming {
    return this.byName[name] ?? { name, label: null };
  }
}

export const datasetNames = new DatasetNames();
