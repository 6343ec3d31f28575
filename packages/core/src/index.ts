// Public entry point of @campaigns/core: pure domain logic, no I/O.
export * from './audience/index';
