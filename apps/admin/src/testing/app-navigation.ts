// SvelteKit's `$app/navigation` for unit tests, which run without the kit (vitest.config.ts aliases it here):
// modules that can send the person elsewhere (an expired session) load, and going elsewhere does nothing.
export async function goto(_url: string | URL): Promise<void> {}
