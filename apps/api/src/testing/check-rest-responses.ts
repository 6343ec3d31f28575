// vitest setup (apps/api/vitest.config.ts): every REST answer a test receives through fetch is checked against
// the committed OpenAPI document; one that does not conform fails the test that received it.
import { restResponseProblems } from './openapi-responses';

const realFetch = globalThis.fetch;

function requestParts(input: Request | string | URL, init?: RequestInit) {
  const request = input instanceof Request ? input : null;
  const headers = new Headers(init?.headers ?? request?.headers);
  return {
    method: (init?.method ?? request?.method ?? 'GET').toUpperCase(),
    url: new URL(request ? request.url : String(input)),
    // A browser navigating to an SPA page under /campaigns gets the page, not an API answer.
    wantsPage: (headers.get('accept') ?? '').includes('text/html'),
  };
}

globalThis.fetch = async function fetchCheckedAgainstOpenApi(input, init) {
  const response = await realFetch(input, init);
  const { method, url, wantsPage } = requestParts(input, init);
  if (wantsPage) return response;
  const problems = await restResponseProblems(method, url, response);
  if (problems.length > 0) {
    throw new Error(`REST answer does not match apps/api/openapi.json:\n${problems.join('\n')}`);
  }
  return response;
};
