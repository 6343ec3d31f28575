// Audience engine: sorted IIN vectors, the filter pipeline, control groups, parquet decoding. Only what other
// packages use is exported here; the rest stays inside the engine (its tests import the modules themselves).
export { iinsFromColumn, iinsToArrowTable } from './arrow-iins';
export { type BucketMergeJob, type BucketMergeResult, mergeBuckets } from './bucket-merge';
export { type ClientIndex, type ClientIndexSlot, iinsFromBuckets } from './client-index';
export { type ControlSplit, splitControlGroup } from './control-group';
export { DATASET_PROBLEMS, DatasetError, type DatasetProblemCode, isDatasetError } from './dataset-error';
export { type FilterConfig, type FilterConfigInput, filterConfigSchema } from './filter-config';
export {
  type FilterPipelineResult,
  type LoadedDataset,
  type PipelineDatasets,
  prepareMergedIndex,
  runFilterPipeline,
  runFilterPipelineSplit,
} from './filter-pipeline';
export { FILTER_STEPS } from './filter-steps';
export { type IinVector, positionOf, sortUnique, sortUniqueInPlace, unionAll } from './iin-vector';
export {
  type DatasetColumns,
  type DecodedDataset,
  decodeParquetDataset,
  readParquetTable,
} from './parquet-dataset';
export { writeParquetTable } from './parquet-write';
export { PipelineCache } from './pipeline-cache';
export { type ProductSelection, selectByProducts } from './product-selection';
