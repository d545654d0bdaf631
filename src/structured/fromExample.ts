import { AnswerSchemaError, type JsonSchema } from './answerSchema';

/**
 * A JSON Schema from a JSON example, as n8n's Structured Output Parser does with "Generate From JSON
 * Example": the names and kinds of the values are used, not the values themselves.
 * - an object: its keys become `properties`, all of them `required`, and `additionalProperties: false`
 *   (so the schema also works with strict mode, which needs both);
 * - a list: `items` from its first entry (a list must have one, or its kind is unknown);
 * - text -> "string", a number -> "number", true/false -> "boolean", null -> "null".
 * Throws AnswerSchemaError, in plain words, for an example it cannot turn into a schema.
 */
export function schemaFromExample(example: unknown): JsonSchema {
	return schemaOf(example, '');
}

/** The same from the example's JSON text (the "JSON Example" field). */
export function schemaFromExampleText(text: string): JsonSchema {
	let example: unknown;
	try {
		example = JSON.parse(text);
	} catch (error) {
		throw new AnswerSchemaError(`The example is not valid JSON (${(error as Error).message}).`);
	}
	return schemaFromExample(example);
}

function schemaOf(value: unknown, at: string): JsonSchema {
	if (value === null) return { type: 'null' };
	if (Array.isArray(value)) {
		if (value.length === 0) {
			throw new AnswerSchemaError(
				`The list at ${at || 'the top'} is empty, so the kind of its entries is not known. Put one example entry in it, e.g. ["text"] or [{"name": "..."}].`,
			);
		}
		return { type: 'array', items: schemaOf(value[0], `${at}[0]`) };
	}
	switch (typeof value) {
		case 'string':
			return { type: 'string' };
		case 'number':
			return { type: 'number' };
		case 'boolean':
			return { type: 'boolean' };
		case 'object': {
			const properties: Record<string, JsonSchema> = {};
			for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
				properties[key] = schemaOf(entry, at ? `${at}.${key}` : key);
			}
			return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
		}
		default:
			throw new AnswerSchemaError(`The example holds a value that is not JSON at ${at || 'the top'}.`);
	}
}
