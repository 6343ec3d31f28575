import { z } from 'zod';
import { defaultBodyLimit } from './body-limits';
import { type RestRoute, restRoutes } from './rest-routes';
import { requestSchemas, responseSchemas } from './rest-schemas';

// The OpenAPI 3.1 document of the seed's REST endpoints, generated from the zod schemas the routes validate
// with and answer in (never written by hand). Served at /openapi.json and committed as apps/api/openapi.json
// (`pnpm --filter @campaigns/api openapi`); a test keeps the two in step.

type JsonSchema = Record<string, unknown>;

const componentRef = (id: string) => `#/components/schemas/${id}`;

// In-process forms that never travel as JSON (the body worker's pre-parsed `user_iins`, a z.instanceof) are
// marked unsendable, then dropped from the unions that hold them: the wire form is what the document says.
const unsendable = { not: {} };
const jsonSchemaOptions = {
  target: 'draft-2020-12',
  unrepresentable: 'any',
  override: (ctx: { zodSchema: { _zod: { def: { type: string } } }; jsonSchema: JsonSchema }) => {
    if (ctx.zodSchema._zod.def.type === 'custom') Object.assign(ctx.jsonSchema, unsendable);
  },
} as const;

function dropUnsendable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropUnsendable);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).map(([key, inner]) => [key, dropUnsendable(inner)] as const);
  const node = Object.fromEntries(entries) as JsonSchema;
  if (Array.isArray(node.anyOf)) {
    const sendable = node.anyOf.filter((branch) => JSON.stringify(branch) !== JSON.stringify(unsendable));
    if (sendable.length === 1) {
      const { anyOf: _union, ...rest } = node;
      return { ...rest, ...(sendable[0] as JsonSchema) };
    }
    node.anyOf = sendable;
  }
  return node;
}

/** A schema as a component or an inline schema: without the `$schema` and `$id` that zod puts on top. */
function bare(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, ...rest } = dropUnsendable(schema) as JsonSchema;
  return rest;
}

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const id = (io === 'input' ? requestSchemas : responseSchemas).get(schema)?.id;
  if (id) return { $ref: componentRef(id) };
  return bare(z.toJSONSchema(schema, { ...jsonSchemaOptions, io }) as JsonSchema);
}

function components(registry: typeof requestSchemas, io: 'input' | 'output'): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { ...jsonSchemaOptions, io, uri: componentRef });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, bare(schema as JsonSchema)]));
}

/** Query parameters from the route's query schema, one per property. */
function queryParameters(route: RestRoute): JsonSchema[] {
  if (!route.query) return [];
  const schema = z.toJSONSchema(route.query, { ...jsonSchemaOptions, io: 'input' }) as {
    properties: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(schema.properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: 'query',
      required: schema.required?.includes(name) ?? false,
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

function pathParameters(route: RestRoute): JsonSchema[] {
  return [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    description: 'The campaign code, e.g. C000012345.',
    schema: { type: 'string', maxLength: 40 },
  }));
}

const errorAnswer = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: componentRef('Error') } } },
});

/** The refusals every endpoint can answer, besides its own (`route.errors`). */
const commonErrors: Record<string, string> = {
  '400': 'Bad input: `issues` names each field and why (REQUEST.INVALID, REQUEST.INVALID_URL, ...).',
  '401': 'No valid session or API token (AUTH.UNAUTHENTICATED).',
  '403': 'The role or the token scope does not allow it (AUTH.FORBIDDEN, AUTH.SCOPE_MISSING).',
};

const idempotencyKeyHeader = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'A repeat with the same key and body answers as the first did; another body is a 422.',
  schema: { type: 'string', minLength: 1, maxLength: 200 },
};

function operation(route: RestRoute): JsonSchema {
  const errors = { ...commonErrors, ...route.errors };
  const params = [
    ...pathParameters(route),
    ...queryParameters(route),
    ...(route.idempotencyKey ? [idempotencyKeyHeader] : []),
  ];
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: ['campaigns'],
    security: [{ bearerToken: [] }, { sessionCookie: [] }],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            description: `JSON, at most ${route.bodyLimit ?? defaultBodyLimit} bytes (else 413).`,
            content: { 'application/json': { schema: schemaOf(route.body, 'input') } },
          },
        }
      : {}),
    responses: {
      '200': {
        description: route.answer,
        content: { 'application/json': { schema: schemaOf(route.response, 'output') } },
      },
      ...Object.fromEntries(Object.entries(errors).map(([status, text]) => [status, errorAnswer(text)])),
      default: errorAnswer('Any other refusal or failure, with its stable code.'),
    },
  };
}

export function buildOpenApiDocument(routes: readonly RestRoute[] = restRoutes): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'Campaign Service REST API',
      version: '1.0.0',
      description:
        "The seed's REST endpoints (same paths and JSON). Internal tools authenticate with an API token " +
        '(`pnpm cli token create --username U`) sent as `Authorization: Bearer <token>`; a typed tRPC client ' +
        'for every procedure is the @campaigns/client package.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: 'http://127.0.0.1:3000', description: 'pnpm start (PORT, HOST)' }],
    tags: [{ name: 'campaigns', description: 'Campaign codes, creation, listing, details and deletion.' }],
    paths,
    components: {
      schemas: { ...components(requestSchemas, 'input'), ...components(responseSchemas, 'output') },
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token; read endpoints need its `read` scope, changes its `write` scope.',
        },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'session',
          description:
            'The admin SPA session (`__Host-session` outside demo mode); changes also need an allowed Origin.',
        },
      },
    },
  };
}

/** Where the committed copy lives (apps/api/openapi.json). */
export const openApiFile = new URL('../../openapi.json', import.meta.url);
