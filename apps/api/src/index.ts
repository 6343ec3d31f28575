// Public entry point of @campaigns/api: the router's types for typed clients.
export {};
