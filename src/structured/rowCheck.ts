import { readJsonAnswer } from '../results/parseAnswerJson';
import type { ResultRow } from '../results/types';
import { compileAnswerSchema, type JsonSchema } from './answerSchema';

export const INVALID_ANSWER = 'invalid_answer';

/**
 * The check of each answered row against an answer schema (throws `AnswerSchemaError` at once for a
 * schema that is not valid, before anything is read). A succeeded row's answer text is parsed as JSON
 * (a ```json fence allowed): valid, `answer` becomes the parsed value; not JSON or breaking the schema, the
 * row becomes `invalid` with the reason and keeps the text. Failed rows pass unchanged.
 */
export function answerRowCheck(schema: JsonSchema): (row: ResultRow) => ResultRow {
	const check = compileAnswerSchema(schema);
	return (row) => {
		if (row.status !== 'succeeded') return row;
		if (typeof row.answer !== 'string') {
			return invalid(row, 'The answer is not JSON: the model gave no answer text');
		}
		const read = readJsonAnswer(row.answer);
		if ('error' in read) return invalid(row, `The answer is not JSON: ${read.error}`);
		const reasons = check(read.value);
		if (reasons !== undefined) return invalid(row, `The answer breaks the schema: ${reasons}`);
		row.answer = read.value;
		return row;
	};
}

function invalid(row: ResultRow, message: string): ResultRow {
	row.status = 'invalid';
	row.error = { code: INVALID_ANSWER, message };
	return row;
}
