// Checks a REST answer against the committed OpenAPI document (apps/api/openapi.json), as a tool generated
// from it would read it: the operation by method and path, the schema by status (or `default`).
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiFile } from '../http/openapi';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}
type OpenApiDocument = { paths: Record<string, Record<string, Operation>> };

const documentId = 'https://campaigns.internal/openapi.json';
const document = JSON.parse(readFileSync(openApiFile, 'utf8')) as OpenApiDocument;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
// The whole document as one schema resource, so `#/components/schemas/...` references resolve inside it.
ajv.addSchema({ ...document, $id: documentId });

const routes = Object.entries(document.paths).map(([template, operations]) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
  literal: !template.includes('{'),
  operations,
}));

/** The documented operation a request reaches (literal paths win over `{code}`, as the server matches). */
export function documentedOperation(method: string, pathname: string) {
  const path = pathname.replace(/\/+$/, '');
  const candidates = routes.filter((r) => r.pattern.test(path) && r.operations[method.toLowerCase()]);
  const route = candidates.find((r) => r.literal) ?? candidates[0];
  if (!route) return null;
  return { template: route.template, operation: route.operations[method.toLowerCase()]! };
}

const validators = new Map<string, ValidateFunction>();

function validatorFor(template: string, method: string, status: string): ValidateFunction {
  const key = `${method} ${template} ${status}`;
  let validate = validators.get(key);
  if (!validate) {
    const pointer = ['paths', template, method, 'responses', status, 'content', 'application/json', 'schema']
      .map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1'))
      .join('/');
    validate = ajv.compile({ $ref: `${documentId}#/${pointer}` });
    validators.set(key, validate);
  }
  return validate;
}

/**
 * Problems of one answer against the document: none when it conforms or is no documented REST answer (tRPC,
 * pages, unknown paths). The body is read from a clone; the caller's response stays unread.
 */
export async function restResponseProblems(method: string, url: URL, response: Response): Promise<string[]> {
  const found = documentedOperation(method, url.pathname);
  if (!found || method === 'HEAD') return [];
  const where = `${method} ${url.pathname} -> ${response.status}`;
  const status = String(response.status);
  const answer = found.operation.responses[status] ?? found.operation.responses.default;
  if (!answer) return [`${where}: the document lists no such answer`];
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('application/json')) return [`${where}: content-type ${type}, not application/json`];
  const body: unknown = await response.clone().json();
  const m = method.toLowerCase();
  const validate = validatorFor(found.template, m, found.operation.responses[status] ? status : 'default');
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (e) => `${where}: ${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`,
  );
}
