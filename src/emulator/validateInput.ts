import { z, type ZodIssue } from 'zod';
import { CustomIdSchema, LIMITS, LooseRequestLineSchema, countEmbeddingInputs, type BatchEndpoint } from '../schemas';
import { readLines } from './lineReader';

/** One entry of a failed batch's `errors.data`. A type alias, so it fits the passthrough Batch schema. */
export type InputError = {
	code: string;
	line: number | null;
	message: string;
	param: string | null;
};

export interface InputValidation {
	errors: InputError[];
	/** Requests (non-blank lines). */
	total: number;
	/** `body.model` of the first request, shown as the batch's model. */
	firstModel?: string;
}

/** Enough to show what is wrong without holding a huge list. */
const MAX_REPORTED_ERRORS = 1000;
const fmt = (n: number) => n.toLocaleString('en-US');

/** What Impala requires of every line; `url` against the batch endpoint and duplicates are checked by hand. */
const InputLineSchema = LooseRequestLineSchema.extend({ custom_id: CustomIdSchema, method: z.literal('POST') });

/** The error of a line that does not fit `InputLineSchema`, from its first issue. */
function lineError(issue: ZodIssue, lineNumber: number, parsed: unknown): InputError {
	const at = (message: string) => `Line ${lineNumber}: ${message}`;
	switch (issue.path[0]) {
		case 'custom_id': {
			const missing = (parsed as { custom_id?: unknown }).custom_id === undefined;
			return { code: missing ? 'missing_custom_id' : 'invalid_custom_id', line: lineNumber, message: at(`${issue.message}.`), param: 'custom_id' };
		}
		case 'method':
			return { code: 'invalid_method', line: lineNumber, message: at('the method must be POST.'), param: 'method' };
		case 'url':
			return { code: 'mismatched_url', line: lineNumber, message: at('the url must be text naming the batch endpoint.'), param: 'url' };
		case 'body':
			return { code: 'missing_body', line: lineNumber, message: at('the body must be a JSON object.'), param: 'body' };
		default:
			return { code: 'invalid_json_line', line: lineNumber, message: `Line ${lineNumber} is not a JSON object.`, param: null };
	}
}

/**
 * Checks an input file line by line, as Impala does while a batch is `validating`: any problem
 * here makes the batch `failed` with `errors` naming each bad line. Holds only the custom_ids.
 */
export async function validateInputFile(path: string, bytes: number, endpoint: BatchEndpoint): Promise<InputValidation> {
	if (bytes > LIMITS.maxBatchFileBytes) {
		return {
			total: 0,
			errors: [
				{
					code: 'file_too_large',
					line: null,
					message: `The input file has ${fmt(bytes)} bytes; a batch file can have at most ${fmt(LIMITS.maxBatchFileBytes)} bytes (${LIMITS.maxBatchFileBytes / 1_000_000} MB). Split it into several batches.`,
					param: 'input_file_id',
				},
			],
		};
	}
	const errors: InputError[] = [];
	const report = (error: InputError) => {
		if (errors.length < MAX_REPORTED_ERRORS) errors.push(error);
	};
	const seen = new Set<string>();
	let total = 0;
	let embeddingInputs = 0;
	let embeddingLimitReported = false;
	let firstModel: string | undefined;

	for await (const { text, lineNumber } of readLines(path)) {
		if (text.trim() === '') continue;
		total++;
		if (total > LIMITS.maxRequestsPerBatch) {
			report({
				code: 'too_many_requests',
				line: lineNumber,
				message: `The input file has more than ${fmt(LIMITS.maxRequestsPerBatch)} requests (line ${lineNumber} is request ${fmt(total)}). Split it into several batches.`,
				param: null,
			});
			break;
		}
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			report({ code: 'invalid_json_line', line: lineNumber, message: `Line ${lineNumber} is not valid JSON.`, param: null });
			continue;
		}
		const line = InputLineSchema.safeParse(parsed);
		if (!line.success) {
			report(lineError(line.error.issues[0], lineNumber, parsed));
			continue;
		}
		const { custom_id: customId, url, body } = line.data;
		if (seen.has(customId)) {
			report({
				code: 'duplicate_custom_id',
				line: lineNumber,
				message: `Line ${lineNumber}: the custom_id '${customId}' is used by an earlier line; every custom_id must be unique.`,
				param: 'custom_id',
			});
		} else {
			seen.add(customId);
		}
		if (url !== endpoint) {
			report({
				code: 'mismatched_url',
				line: lineNumber,
				message: `Line ${lineNumber}: the url '${url}' differs from the batch endpoint '${endpoint}'.`,
				param: 'url',
			});
		}
		if (firstModel === undefined && typeof body.model === 'string') firstModel = body.model;
		if (endpoint === '/v1/embeddings' && !embeddingLimitReported) {
			embeddingInputs += countEmbeddingInputs(body);
			if (embeddingInputs > LIMITS.maxEmbeddingInputsPerBatch) {
				embeddingLimitReported = true;
				report({
					code: 'too_many_embedding_inputs',
					line: lineNumber,
					message: `The file has more than ${fmt(LIMITS.maxEmbeddingInputsPerBatch)} embedding inputs (reached at line ${lineNumber}). Split it into several batches.`,
					param: 'input',
				});
			}
		}
	}
	if (total === 0) {
		report({ code: 'empty_file', line: null, message: 'The input file has no requests.', param: 'input_file_id' });
	}
	return { errors, total, firstModel };
}
