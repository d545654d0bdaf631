import type { ImpalaClient } from '../client';
import { ImpalaApiError } from '../client';
import { presentFileId, type Batch } from '../schemas';
import { joinResults, type InputSource, type ResultSource } from './joinResults';
import type { ResultOptions, ResultRow } from './types';
import { ResultFileGoneError } from './unreadable';

export interface FetchResultsOptions extends ResultOptions {
	signal?: AbortSignal;
	/** Told when the input file is gone (e.g. expired): rows then come in output order and missing rows cannot be found. */
	onInputUnavailable?: (inputFileId: string) => void;
}

/**
 * The results of a finished batch, one row per request, in input-file order. Streams the output, error and
 * input files over HTTP line by line. Call `resultsUnavailable(batch)` first.
 * An output or error file Impala no longer has (404) throws a `ResultFileGoneError` naming the batch (a gone
 * input file calls `onInputUnavailable` and rows come in output order); a malformed line a
 * `ResultFileError` (`resultsUnreadable(error)` tells both apart from errors worth trying again).
 */
export async function* fetchBatchResults(
	client: ImpalaClient,
	batch: Batch,
	options: FetchResultsOptions = {},
): AsyncGenerator<ResultRow> {
	const { signal } = options;
	const source = (role: string, fileId: string): ResultSource => ({
		file: { role, fileId },
		open: async () => {
			try {
				return await client.files.content(fileId, { signal });
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
	const input: InputSource = {
		file: inputFile.file,
		// The content request itself tells whether the file is still there: no extra metadata request.
		open: async () => {
			try {
				return await inputFile.open();
			} catch (error) {
				if (!(error instanceof ResultFileGoneError)) throw error;
				options.onInputUnavailable?.(batch.input_file_id);
				return undefined;
			}
		},
	};

	yield* joinResults({ endpoint: batch.endpoint, batchStatus: batch.status, results, input, options });
}
