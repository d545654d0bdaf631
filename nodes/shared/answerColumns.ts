import type { IDataObject } from 'n8n-workflow';
import type { JsonSchema } from '../../src/structured';

/** The fields a result item has of its own; an answer field never takes their place. */
const RESULT_FIELDS = new Set([
	'custom_id',
	'status',
	'answer',
	'usage',
	'error',
	'request',
	'raw_line',
	'not_in_input',
	'batch_id',
	'tool_calls',
	'embedding',
	'embeddings',
	'finish_reason',
	'answer_json_error',
	'round',
]);

/**
 * "At the Top Level": the fields of a JSON object answer become item fields (with `prefix`), right after
 * custom_id and status. A field whose name is taken (by the item's own fields) stays under `answer`, so
 * nothing is lost. Answers that are not objects (text, failures) stay under `answer`.
 */
export function answerAtTopLevel(json: IDataObject, prefix: string): IDataObject {
	const answer = json.answer;
	if (json.status !== 'succeeded' || !isPlainObject(answer)) return json;
	const { custom_id, status, answer: _answer, ...rest } = json;
	const columns: IDataObject = {};
	const kept: IDataObject = {};
	for (const [key, value] of Object.entries(answer)) {
		const name = `${prefix}${key}`;
		if (RESULT_FIELDS.has(name) || name in rest) kept[key] = value as IDataObject[string];
		else columns[name] = value as IDataObject[string];
	}
	return { custom_id, status, ...columns, ...(Object.keys(kept).length > 0 && { answer: kept }), ...rest };
}

/** The answer fields a schema declares whose names (with `prefix`) are the item's own, e.g. ["status"]. */
export function takenAnswerFields(schema: JsonSchema, prefix: string): string[] {
	const properties = isPlainObject(schema.properties) ? Object.keys(schema.properties) : [];
	return properties.filter((key) => RESULT_FIELDS.has(`${prefix}${key}`));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
