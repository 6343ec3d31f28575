// `@campaigns/api/testing`: a running service for other packages' tests (the client package's, the examples').
export { apiTokenFor } from './api-token';
export { validIins } from './iins';
export { startTestServer, type TestServer, type TestServerOptions } from './test-server';
