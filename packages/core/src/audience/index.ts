// Audience engine: sorted IIN vectors, the filter pipeline, control groups, parquet decoding.
export {};
