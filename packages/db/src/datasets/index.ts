// Dataset files: the registry in DATA_DIR, lazy cached loading, and audience runs (in-process or in a worker).
export type {
  AudienceSampleFacts,
  SampleDatasetUse,
  SampleFactsRequest,
  SampleMemberFacts,
} from './audience-sample';
export { AudienceWorker } from './audience-worker';
export { REPO_ROOT, resolveDataDir } from './data-dir';
export type { DatasetPreparerOptions, PreparationProgress } from './dataset-preparer';
export { DatasetPreparer } from './dataset-preparer';
export type { DatasetDescription, DatasetStoreOptions, PreparedCacheEvent } from './dataset-store';
export { DatasetStore, registeredDataset } from './dataset-store';
export type { DemoDataOptions, DemoDataSummary, DemoLayout } from './demo-datasets';
export {
  DEFAULT_DEMO_SEED,
  DEMO_CLIENTS,
  DEMO_DATA_VERSION,
  DEMO_DEVICES,
  DEMO_LAYOUTS,
  DEMO_META_FILE,
  DEMO_PRODUCTS,
  DEMO_STREAMS,
  ensureDemoData,
  generateDemoData,
  generateIins,
  SEED_BLACKLISTS,
  seededRandom,
} from './demo-datasets';
export { LoaderPool } from './loader-pool';
export { startModuleWorker } from './module-worker';
export type { DatasetKind, DatasetLabel, DatasetRegistry, RegistryEntry } from './registry';
export {
  DATASET_KINDS,
  datasetPath,
  FILTER_DATASET_KINDS,
  REGISTRY_FILE,
  RegistryError,
  readRegistry,
  registrySchema,
} from './registry';
export type {
  AudienceRunInput,
  AudienceRunPhase,
  AudienceRunProgress,
  AudienceRunRequest,
  AudienceRunResult,
  RunAudienceOptions,
} from './run-audience';
export { runAudience } from './run-audience';
