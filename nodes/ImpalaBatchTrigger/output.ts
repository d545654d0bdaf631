import type { IDataObject, INodeExecutionData, INodeOutputConfiguration, INodeParameters, IPollFunctions } from 'n8n-workflow';
import type { ImpalaClient } from '../../src/client';
import { resultsUnavailable, resultsUnreadable, summarizeBatch, type Unavailable } from '../../src/results';
import type { Batch } from '../../src/schemas';
import { toNodeError } from '../shared/errors';
import { getResultItems, isSummaryItem, summaryItem } from '../shared/results';
import type { ResultSettings } from '../shared/resultSettings';
import { addRetry } from './retry';
import { MAX_WATCHED, type BatchEvent } from '../../src/trigger';

export type TriggerOutput = 'batch' | 'results';

/**
 * The trigger's outputs for its parameters: one, and a second (Summary) when the results output has
 * "Include Summary" on. Evaluated by n8n as an expression, so it must not use anything from outside.
 */
export function triggerOutputs(parameters: INodeParameters): INodeOutputConfiguration[] {
	const options = (parameters.resultOptions ?? {}) as { includeSummary?: boolean };
	if (parameters.output !== 'results' || options.includeSummary !== true) return [{ type: 'main' }];
	return [
		{ type: 'main', displayName: 'Results' },
		{ type: 'main', displayName: 'Summary' },
	];
}

/**
 * The items of the fired events on the trigger's outputs: each batch (with `event_status`, the status that
 * fired), or each batch's results one item per request, and with "Include Summary" one summary item per
 * batch on a second output. An event whose batch has no readable results gives one item saying why (and,
 * with "Include Summary", the summary read from the batch object).
 */
export async function toOutputs(
	ctx: IPollFunctions,
	client: ImpalaClient,
	events: Array<BatchEvent<Batch>>,
	output: TriggerOutput,
	resultSettings: ResultSettings | undefined,
): Promise<INodeExecutionData[][]> {
	if (output === 'batch' || !resultSettings) {
		return [events.map(({ batch, status }) => ({ json: { ...batch, event_status: status } as IDataObject }))];
	}
	const items = await resultItems(ctx, client, events, resultSettings);
	if (!resultSettings.includeSummary) return [items];
	const results: INodeExecutionData[] = [];
	const summaries: INodeExecutionData[] = [];
	for (const item of items) (isSummaryItem(item) ? summaries : results).push(item);
	return [results, summaries];
}

async function resultItems(
	ctx: IPollFunctions,
	client: ImpalaClient,
	events: Array<BatchEvent<Batch>>,
	resultSettings: ResultSettings,
): Promise<INodeExecutionData[]> {
	const items: INodeExecutionData[] = [];
	for (const event of events) {
		const { batch } = event;
		const current = event.status === batch.status;
		const unavailable = current ? resultsUnavailable(batch) : passedBy(batch, event.status);
		// Without results, the summary comes from the batch object (counts, Impala's token usage and cost).
		const batchSummary = () => {
			if (current && resultSettings.includeSummary) items.push(summaryItem(summarizeBatch(batch)));
		};
		if (unavailable) {
			items.push(unavailableItem(event, unavailable));
			batchSummary();
			continue;
		}
		try {
			const batchItems = await getResultItems(ctx, client, batch, resultSettings);
			await addRetry(ctx, client, batch, batchItems, resultSettings);
			for (const item of batchItems) items.push(item);
		} catch (error) {
			// A file gone or malformed stays so: failing the poll would block every later event behind this
			// one. Anything else (network, 5xx, 429, a wrong key) fails the poll, and the next one catches up.
			const unreadable = resultsUnreadable(error, batch.id);
			if (!unreadable) throw toNodeError(ctx.getNode(), error);
			ctx.logger.warn(`Impala Batch Trigger: ${unreadable.message}`);
			items.push(unavailableItem(event, unreadable));
			batchSummary();
		}
	}
	return items;
}

/** The event is not dropped: the item says why there are no results and carries the batch. */
function unavailableItem(event: BatchEvent<Batch>, unavailable: Unavailable): INodeExecutionData {
	return {
		json: {
			batch_id: event.batch.id,
			batch_status: event.batch.status,
			event_status: event.status,
			results_unavailable: unavailable.message,
			hint: unavailable.hint,
			batch: event.batch as IDataObject,
		},
	};
}

/** A status the batch passed between two polls: it has moved on, and its results come with its end status. */
function passedBy(batch: Batch, status: string): Unavailable {
	return {
		message: `Batch ${batch.id} passed "${status}" and is now "${batch.status}": results belong to the status it ends in`,
		hint: 'Choose an end status (completed, expired or cancelled) in "Trigger On" to get the results with that event.',
	};
}

/**
 * The watch list is full (more than MAX_WATCHED unfinished batches in scope): the item names the batches
 * the trigger stopped watching, so their end is not lost without a word.
 */
export function watchOverflowItem(unwatched: string[]): INodeExecutionData {
	return {
		json: {
			event_status: 'watch_list_full',
			unwatched_batch_ids: unwatched,
			message: `The trigger watches at most ${MAX_WATCHED.toLocaleString('en-US')} unfinished batches, so it stopped watching the ${unwatched.length} oldest (listed in unwatched_batch_ids): it will not start the workflow when they end.`,
			hint: 'Check these batches with Impala → Batch → Get, or narrow "Watch" to a job or metadata so fewer batches are watched.',
		},
	};
}
