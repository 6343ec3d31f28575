// Public entry point of @campaigns/db: the app store, the deploy target, the dataset files.
export {};
