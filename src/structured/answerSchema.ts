import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

/** A JSON Schema, as a user writes it (an object). */
export type JsonSchema = Record<string, unknown>;

/** A schema that is not a usable JSON Schema: `message` says what is wrong, in plain words. */
export class AnswerSchemaError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'AnswerSchemaError';
	}
}

/** Checks one parsed answer: undefined when it follows the schema, else the reasons (e.g. `score: must be <= 5`). */
export type AnswerCheck = (value: unknown) => string | undefined;

// Ajv rather than zod built from the schema: it implements the whole JSON Schema standard (refs, $defs,
// anyOf, patterns), checks a schema against the meta-schema (so a typo such as "type": "strnig" is refused
// before anything is uploaded), compiles each schema once into a fast check, and says where an answer breaks it.
// Formats ("format": "email") are not checked: models are not held to them either.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
/** Compiled schemas by their text; bounded, since n8n runs for months and a schema can come from an expression. */
const compiled = new Map<string, ValidateFunction>();
const MAX_COMPILED = 100;

/** Compiles a schema once (cached by its text). Throws `AnswerSchemaError` for a schema that is not valid. */
export function compileAnswerSchema(schema: unknown): AnswerCheck {
	if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
		throw new AnswerSchemaError('The schema must be a JSON object, such as {"type": "object", "properties": {...}}.');
	}
	const key = JSON.stringify(schema);
	let validate = compiled.get(key);
	if (!validate) {
		if (!ajv.validateSchema(schema)) {
			throw new AnswerSchemaError(`The schema is not a valid JSON Schema: ${schemaProblem(ajv.errors ?? [])}`);
		}
		try {
			validate = ajv.compile(schema);
		} catch (error) {
			// e.g. a "$ref" to a definition that is not there.
			throw new AnswerSchemaError(`The schema is not a valid JSON Schema: ${error instanceof Error ? error.message : String(error)}`);
		}
		if (compiled.size >= MAX_COMPILED) {
			// Ajv keeps its own cache by schema object: drop the oldest from both.
			const [oldest, check] = compiled.entries().next().value as [string, ValidateFunction];
			compiled.delete(oldest);
			ajv.removeSchema(check.schema as object);
		}
		compiled.set(key, validate);
	}
	const check = validate;
	return (value) => (check(value) ? undefined : describeErrors(check.errors ?? []));
}

/** The first thing wrong with a schema, e.g. `properties.score.type: must be equal to one of the allowed values`. */
function schemaProblem(errors: ErrorObject[]): string {
	const first = errors[0];
	if (!first) return 'it does not follow the JSON Schema standard';
	return `${fieldPath(first.instancePath) || 'the schema'}: ${first.message ?? 'is not allowed here'}`;
}

/** `score: must be <= 5; summary: is required` — at most five reasons. */
function describeErrors(errors: ErrorObject[]): string {
	const reasons = errors.slice(0, 5).map((error) => {
		const missing = error.keyword === 'required' ? (error.params as { missingProperty?: string }).missingProperty : undefined;
		const extra = error.keyword === 'additionalProperties' ? (error.params as { additionalProperty?: string }).additionalProperty : undefined;
		const at = fieldPath(error.instancePath);
		if (missing !== undefined) return `${joinPath(at, missing)}: is missing`;
		if (extra !== undefined) return `${joinPath(at, extra)}: is not in the schema`;
		if (error.keyword === 'enum') {
			const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues ?? [];
			return `${at || 'the answer'}: must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
		}
		return `${at || 'the answer'}: ${error.message ?? 'does not follow the schema'}`;
	});
	if (errors.length > 5) reasons.push(`and ${errors.length - 5} more`);
	return reasons.join('; ');
}

/** `/items/2/name` → `items[2].name`. */
function fieldPath(pointer: string): string {
	if (!pointer) return '';
	return pointer
		.slice(1)
		.split('/')
		.map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
		.reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function joinPath(at: string, key: string): string {
	return at ? `${at}.${key}` : key;
}

/** How many compiled schemas are kept (for tests: the cache is bounded). */
export function compiledSchemaCount(): number {
	return compiled.size;
}
