// Audience engine: sorted IIN vectors, the filter pipeline, control groups, parquet decoding.
export * from './arrow-iins';
export * from './bucket-merge';
export * from './client-index';
export * from './control-group';
export * from './dataset-error';
export * from './filter-config';
export * from './filter-pipeline';
export * from './iin-vector';
export * from './parquet-dataset';
export * from './parquet-write';
export * from './product-selection';
export * from './step-cursors';
export * from './value-encoder';
export * from './value-index';
export * from './value-index-build';
