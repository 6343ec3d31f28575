// Public entry point of @campaigns/db: the database server, the dataset files and uploads, the app store, the
// deploy target.
export * from './datasets/index';
export * from './deploy-target/index';
export * from './jobs/index';
export * from './server/index';
export * from './store/index';
export * from './uploads/index';
