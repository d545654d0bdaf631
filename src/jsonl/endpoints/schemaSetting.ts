import { AnswerSchemaError, compileAnswerSchema } from '../../structured';
import { schemaFromExample } from '../../structured/fromExample';
import { strictModeProblems } from './strictSchema';

/** Where the schema comes from: the JSON Schema field, or generated from the JSON Example field. */
export type SchemaType = 'manual' | 'fromJson';

/** A schema the Builder can send, or what is wrong with it (field: the node field at fault). */
export type SchemaResult = { ok: true; schema: Record<string, unknown> } | { ok: false; field: string; message: string; fix: string };

interface Cached {
	type: SchemaType;
	strict: boolean;
	result: SchemaResult;
}
const byText = new Map<string, Cached>();
const byObject = new WeakMap<object, Cached>();
const TEXT_CACHE = 32;

/**
 * The schema a JSON Schema / JSON Example value gives, checked as a JSON Schema (ajv, against the
 * meta-schema) and, when `strict`, for what strict mode needs. Cached per value, so reading it for
 * every row costs a lookup.
 */
export function responseSchema(value: unknown, type: SchemaType, strict: boolean): SchemaResult {
	const isText = typeof value === 'string';
	const isObject = typeof value === 'object' && value !== null;
	const known = isText ? byText.get(value) : isObject ? byObject.get(value) : undefined;
	if (known && known.type === type && known.strict === strict) return known.result;
	const result = fromValue(isText ? parse(value) : { value }, type, strict);
	if (isText) {
		if (byText.size >= TEXT_CACHE) byText.clear();
		byText.set(value, { type, strict, result });
	} else if (isObject) byObject.set(value, { type, strict, result });
	return result;
}

function parse(text: string): { value: unknown } | { error: string } {
	if (text.trim() === '') return { error: 'is empty.' };
	try {
		return { value: JSON.parse(text) as unknown };
	} catch (error) {
		return { error: `is not valid JSON (${(error as Error).message}).` };
	}
}

function fromValue(parsed: { value: unknown } | { error: string }, type: SchemaType, strict: boolean): SchemaResult {
	const field = type === 'fromJson' ? 'JSON Example' : 'JSON Schema';
	if ('error' in parsed) {
		return { ok: false, field, message: parsed.error, fix: type === 'fromJson' ? 'Write an example answer as JSON, e.g. {"sentiment": "positive", "score": 4}.' : 'Fix the JSON of the schema.' };
	}
	let schema: Record<string, unknown>;
	try {
		if (type === 'fromJson') {
			const example = parsed.value;
			if (typeof example !== 'object' || example === null || Array.isArray(example)) {
				return { ok: false, field, message: 'must be a JSON object, the answer you expect.', fix: 'Write it like {"sentiment": "positive", "score": 4, "summary": "..."}.' };
			}
			schema = schemaFromExample(example);
		} else {
			if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
				return { ok: false, field, message: 'must be a JSON object.', fix: 'Write it like {"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]}.' };
			}
			schema = parsed.value as Record<string, unknown>;
		}
		compileAnswerSchema(schema);
	} catch (error) {
		if (!(error instanceof AnswerSchemaError)) throw error;
		return {
			ok: false,
			field,
			message: lowerFirst(error.message),
			fix: type === 'fromJson' ? 'Fix the example.' : 'Fix the schema; see json-schema.org for how a schema is written.',
		};
	}
	if (strict) {
		const problems = strictModeProblems(schema);
		if (problems.length > 0) {
			return {
				ok: false,
				field: 'JSON Schema',
				message: `does not meet what Strict needs: ${problems.join('; ')}.`,
				fix: 'Change the schema as listed, or turn Strict off.',
			};
		}
	}
	return { ok: true, schema };
}

/** A reason as it follows a field name: "the schema is not ... ." (lower-case start, one final period). */
function lowerFirst(text: string): string {
	const sentence = /[.!?]$/.test(text) ? text : `${text}.`;
	return sentence.charAt(0).toLowerCase() + sentence.slice(1);
}
