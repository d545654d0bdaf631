import { AnswerSchemaError, compileAnswerSchema, type JsonSchema } from '../structured';

/**
 * A JSON schema as typed into a field (text or an object), checked as a schema; empty = undefined.
 * Not JSON, or not a valid JSON Schema: an `AnswerSchemaError` saying what is wrong, in plain words.
 */
export function readAnswerSchemaText(value: unknown): JsonSchema | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let schema: unknown = value;
	if (typeof value === 'string') {
		if (value.trim() === '') return undefined;
		try {
			schema = JSON.parse(value);
		} catch (error) {
			throw new AnswerSchemaError(`The answer schema is not valid JSON: ${(error as Error).message}`);
		}
	}
	compileAnswerSchema(schema);
	return schema as JsonSchema;
}
