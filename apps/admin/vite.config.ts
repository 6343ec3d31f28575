import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// In development the browser talks to one origin: Vite forwards the API paths to the API server.
const api = process.env.API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    proxy: {
      '/trpc': { target: api, changeOrigin: false },
      '/healthz': api,
      // The seed's REST paths; a browser navigating to /campaigns/... still gets the SPA (Accept: text/html).
      '/campaigns': {
        target: api,
        bypass: (req) => ((req.headers.accept ?? '').includes('text/html') ? req.url : undefined),
      },
    },
  },
});
