// Public entry point of @campaigns/db: the database server, the dataset files and uploads, the app store, the
// deploy target, the worker threads callers share.
export * from './datasets/index';
export * from './deploy-target/index';
export * from './jobs/index';
export * from './server/index';
export * from './store/index';
export * from './uploads/index';
export * from './workers/index';
