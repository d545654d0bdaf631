import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';

const REPO_ROOT = path.resolve(__dirname, '../..');
/** The spec beside the repo (`shared/`, as laid for sessions and CI). */
export const SHARED_SPEC_PATH = path.resolve(REPO_ROOT, '../shared/impala-openapi.json');
/** The copy kept in the repo, used when `shared/` is not beside it. */
export const VENDORED_SPEC_PATH = path.resolve(__dirname, 'impala-openapi.json');

export const SPEC_PATH = existsSync(SHARED_SPEC_PATH) ? SHARED_SPEC_PATH : VENDORED_SPEC_PATH;

export interface OpenApiDoc {
	openapi: string;
	paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
	components: { schemas: Record<string, Record<string, unknown>> };
}

export const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as OpenApiDoc;

const DOC_ID = 'impala-openapi';

// The whole document is registered so its `#/components/schemas/X` refs resolve as written.
// strict: false lets OpenAPI's own keys (paths, info, ...) sit in the registered document.
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('binary', true);
ajv.addSchema(spec, DOC_ID);

const pointerPart = (part: string) => part.replace(/~/g, '~0').replace(/\//g, '~1');
const cache = new Map<string, ValidateFunction>();

function validatorAt(pointer: string[]): ValidateFunction {
	const ref = `${DOC_ID}#/${pointer.map(pointerPart).join('/')}`;
	let validate = cache.get(ref);
	if (!validate) {
		validate = ajv.compile({ $ref: ref });
		cache.set(ref, validate);
	}
	return validate;
}

/** A validator for `components.schemas[name]`. */
export function componentSchema(name: string): ValidateFunction {
	assert.ok(spec.components.schemas[name], `the spec has no component schema ${name}`);
	return validatorAt(['components', 'schemas', name]);
}

/** The spec path template matching a concrete path, e.g. `/v1/files/file-1` -> `/v1/files/{file_id}`. */
export function specPathFor(concretePath: string): string {
	const pathname = concretePath.split('?')[0];
	for (const template of Object.keys(spec.paths)) {
		const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
		if (pattern.test(pathname)) return template;
	}
	throw new Error(`the spec has no path matching ${pathname}`);
}

/** Whether the spec documents a JSON response for this method, path and status. */
export function documentsResponse(method: string, concretePath: string, status: number): boolean {
	const operation = spec.paths[specPathFor(concretePath)]?.[method.toLowerCase()];
	return Boolean(operation?.responses?.[String(status)]?.content?.['application/json']);
}

/** The validator of the JSON response documented for this method, path and status. */
export function responseSchema(method: string, concretePath: string, status: number): ValidateFunction {
	const template = specPathFor(concretePath);
	const verb = method.toLowerCase();
	assert.ok(
		documentsResponse(method, concretePath, status),
		`the spec documents no ${status} JSON response for ${method.toUpperCase()} ${template}`,
	);
	return validatorAt(['paths', template, verb, 'responses', String(status), 'content', 'application/json', 'schema']);
}

/** The validator of a request body documented for this method and path. */
export function requestBodySchema(method: string, template: string, mediaType: string): ValidateFunction {
	return validatorAt(['paths', template, method.toLowerCase(), 'requestBody', 'content', mediaType, 'schema']);
}

export function describeErrors(errors: ErrorObject[] | null | undefined): string {
	return (errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`).join('; ');
}

/** Asserts `value` validates; the message names what was checked and every violation. */
export function assertValid(validate: ValidateFunction, value: unknown, what: string): void {
	const ok = validate(value);
	assert.ok(ok, `${what} does not match the spec: ${describeErrors(validate.errors)}\n${JSON.stringify(value)}`);
}

/** Asserts the wire body of a response matches the schema the spec documents for it. */
export function assertResponseMatchesSpec(method: string, concretePath: string, response: { status: number; body: unknown }): void {
	const validate = responseSchema(method, concretePath, response.status);
	assertValid(validate, response.body, `${method.toUpperCase()} ${concretePath} -> ${response.status}`);
}

/** The validator of a documented query or path parameter; undefined when the operation has no such parameter. */
export function parameterSchema(method: string, template: string, name: string): ValidateFunction | undefined {
	const operation = (spec.paths[template]?.[method.toLowerCase()] ?? {}) as { parameters?: Array<{ name: string }> };
	const index = (operation.parameters ?? []).findIndex((p) => p.name === name);
	if (index < 0) return undefined;
	return validatorAt(['paths', template, method.toLowerCase(), 'parameters', String(index), 'schema']);
}
