import type { ImpalaClient } from '../client';
import { fetchBatchResults, type FetchResultsOptions } from '../results';
import { requestAnswerSchema } from '../results/requestSchema';
import type { Batch } from '../schemas';
import type { JsonSchema } from '../structured';
import { RetryError } from './errors';

export interface SelectOptions {
	/** Retry answers that are not JSON or break the answer schema too (status "invalid"). */
	includeInvalid?: boolean;
	/** The schema answers must follow; default the one the batch's requests asked for. */
	answerSchema?: JsonSchema;
	signal?: AbortSignal;
}

/** The requests to send again, by custom_id, and how many of each kind. */
export interface RetrySelection {
	ids: Set<string>;
	failed: number;
	missing: number;
	invalid: number;
}

/**
 * The custom_ids of the requests of a finished batch that failed, got no answer (missing: expired or
 * cancelled batches) or, with `includeInvalid`, gave an answer that breaks the answer schema. Read with
 * `fetchBatchResults` (`onlyFailures`), so the counts are checked against the batch's `request_counts`.
 */
export async function selectRequestsToRetry(client: ImpalaClient, batch: Batch, options: SelectOptions): Promise<RetrySelection> {
	const answerSchema = options.includeInvalid ? await schemaToCheck(client, batch, options) : undefined;
	const fetchOptions: FetchResultsOptions = {
		onlyFailures: true,
		signal: options.signal,
		onInputUnavailable: (fileId) => {
			throw new RetryError(
				`The input file ${fileId} of batch ${batch.id} is gone (deleted or expired), so its requests cannot be sent again`,
				'A retry re-sends the original lines of the input file. Build the requests again (for example with the Impala Batch Builder) and create a new batch. No file was uploaded and no batch was created.',
			);
		},
		...(answerSchema && { answerSchema }),
	};
	const selection: RetrySelection = { ids: new Set(), failed: 0, missing: 0, invalid: 0 };
	for await (const row of fetchBatchResults(client, batch, fetchOptions)) {
		// A result whose custom_id is not in the input file has no line to send again.
		if (row.not_in_input) continue;
		const { status } = row;
		if (status === 'failed') selection.failed++;
		else if (status === 'missing') selection.missing++;
		else if (status === 'invalid' && options.includeInvalid) selection.invalid++;
		else continue;
		selection.ids.add(row.custom_id);
	}
	return selection;
}

/** The given schema, else the one the batch's requests asked for; neither is an error saying what to do. */
async function schemaToCheck(client: ImpalaClient, batch: Batch, options: SelectOptions): Promise<JsonSchema> {
	const schema = options.answerSchema ?? (await requestAnswerSchema(client, batch, { signal: options.signal }));
	if (schema) return schema;
	throw new RetryError(
		`Invalid answers of batch ${batch.id} cannot be told apart: its requests did not ask for a JSON schema and none was given`,
		'Give the JSON schema the answers must follow in "Answer Schema", or turn off "Include Invalid Answers". No file was uploaded and no batch was created.',
	);
}
