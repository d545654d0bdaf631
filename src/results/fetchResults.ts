import type { ImpalaClient } from '../client';
import { anySignal, ImpalaApiError } from '../client';
import { presentFileId, type Batch } from '../schemas';
import { answerRowCheck } from '../structured/rowCheck';
import { joinResults, type InputSource, type ResultSource, type RowHook } from './joinResults';
import type { ResultOptions, ResultRow } from './types';
import { ResultFileGoneError } from './unreadable';

export interface FetchResultsOptions extends ResultOptions {
	signal?: AbortSignal;
	/** Told when the input file is gone (e.g. expired): rows then come in output order and missing rows cannot be found. */
	onInputUnavailable?: (inputFileId: string) => void;
	/** Called on each answered row, after the schema check, before the `onlyFailures` filter (see `joinResults`). */
	onRow?: RowHook;
}

/**
 * The results of a finished batch, one row per request, in input-file order. Streams the output, error and
 * input files over HTTP line by line. Call `resultsUnavailable(batch)` first.
 * Every file is read with its size checked (`client.files.readVerified`: the file's `bytes` and the
 * Content-Length): a transfer cut short is read again, then fails with "the transfer was cut". Answers fewer than the batch's `request_counts` are
 * read again once, then a `ResultCountMismatchError`: never rows reported `missing` that were answered.
 * An output or error file Impala no longer has (404) throws a `ResultFileGoneError` naming the batch (a gone
 * input file calls `onInputUnavailable` and rows come in output order); a malformed line a
 * `ResultFileError` (`resultsUnreadable(error)` tells both apart from errors worth trying again).
 * With `answerSchema`, each succeeded answer is parsed and checked (see `answerRowCheck`): a schema that is
 * not valid throws `AnswerSchemaError` before any download; an answer that breaks it gives an `invalid` row,
 * kept with the failures under `onlyFailures`.
 */
export async function* fetchBatchResults(
	client: ImpalaClient,
	batch: Batch,
	options: FetchResultsOptions = {},
): AsyncGenerator<ResultRow> {
	const { signal, answerSchema } = options;
	// Compiled before any download: a schema that is not valid fails here.
	const check = answerSchema ? answerRowCheck(answerSchema) : undefined;
	const hook = options.onRow;
	// The caller's hook sees the checked row (its status may be \`invalid\`).
	const onRow: RowHook | undefined = check
		? (row, line) => {
				const checked = check(row);
				return hook ? hook(checked, line) : checked;
			}
		: hook;
	// The schema check parses the answers itself; `parseJson` would leave it nothing to parse.
	const resultOptions = check ? { ...options, parseJson: false } : options;
	const source = (role: string, fileId: string): Required<Pick<ResultSource, 'file' | 'read'>> => ({
		file: { role, fileId },
		read: async (consume, stop) => {
			try {
				// Checks the bytes against the file's size and Content-Length; a cut transfer is read again.
				return await client.files.readVerified(fileId, consume, { signal: anySignal(signal, stop) });
			} catch (error) {
				if (error instanceof ImpalaApiError && error.status === 404) throw new ResultFileGoneError(batch.id, role, fileId, error);
				throw error;
			}
		},
	});
	const results: ResultSource[] = [];
	const outputFileId = presentFileId(batch.output_file_id);
	const errorFileId = presentFileId(batch.error_file_id);
	if (outputFileId) results.push(source('output file', outputFileId));
	if (errorFileId) results.push(source('error file', errorFileId));

	const inputFile = source('input file', batch.input_file_id);
	let inputGoneTold = false;
	const input: InputSource = {
		file: inputFile.file,
		read: async (consume, stop) => {
			try {
				return await inputFile.read(consume, stop);
			} catch (error) {
				if (!(error instanceof ResultFileGoneError)) throw error;
				if (!inputGoneTold) options.onInputUnavailable?.(batch.input_file_id);
				inputGoneTold = true;
				return undefined;
			}
		},
	};

	yield* joinResults({
		endpoint: batch.endpoint,
		batchStatus: batch.status,
		results,
		input,
		options: resultOptions,
		expected: { batchId: batch.id, requestCounts: batch.request_counts },
		onRow,
	});
}
