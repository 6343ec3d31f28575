// Public entry point of @campaigns/core: pure domain logic, no I/O. Browser code imports `@campaigns/core/rules`
// (everything but the audience engine).
export * from './audience/index';
export * from './rules';
