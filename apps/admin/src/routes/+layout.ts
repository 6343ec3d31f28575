// A single-page app: no server rendering, no prerendering; the API server serves index.html for every path.
export const ssr = false;
export const prerender = false;
