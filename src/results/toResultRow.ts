import type { OutputLine } from '../schemas';
import { isFailedLine, isRecord, lineError } from './classify';
import { extractAnswer } from './extract';
import { parseAnswerJson } from './parseAnswerJson';
import type { ResultOptions, ResultRow } from './types';

/** The compact result of one output/error line: only the extracted answer, usage and error are kept. */
export function toResultRow(line: OutputLine, endpoint: string, options: ResultOptions, rawText?: string): ResultRow {
	const body = line.response?.body;
	const usage = isRecord(body) && isRecord(body.usage) ? body.usage : undefined;
	let row: ResultRow;
	if (isFailedLine(line)) {
		row = { custom_id: line.custom_id, status: 'failed', error: lineError(line) };
	} else {
		const extracted = extractAnswer(endpoint, body);
		row = { custom_id: line.custom_id, status: 'succeeded', ...(options.parseJson ? parseAnswerJson(extracted) : extracted) };
	}
	if (usage) row.usage = usage;
	if (options.includeRawLine && rawText !== undefined) row.raw_line = rawText;
	return row;
}

/** A request that appears in neither the output nor the error file. */
export function missingRow(customId: string, batchStatus: string): ResultRow {
	return {
		custom_id: customId,
		status: 'missing',
		error: {
			code: 'missing',
			message:
				batchStatus === 'completed'
					? 'Impala returned no answer for this request although the batch completed'
					: `No answer: the batch ended as "${batchStatus}" before this request was processed`,
		},
	};
}
