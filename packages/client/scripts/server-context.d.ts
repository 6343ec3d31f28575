// Stands in for the API's request context (its services, store, logger) in the bundled declarations: a client
// never sees the context, and the real one would drag the whole server's types into the package.
export type Context = object;
