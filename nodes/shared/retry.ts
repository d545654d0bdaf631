import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData, IPollFunctions } from 'n8n-workflow';
import type { ImpalaClient } from '../../src/client';
import { summarizeRows, type RowSummarizer } from '../../src/results';
import { fetchMergedResults, type ChainRound, type RetryResult } from '../../src/retry';
import type { Batch } from '../../src/schemas';
import { answerAtTopLevel } from './answerColumns';
import { schemaFor, summaryItem } from './results';
import type { ResultSettings } from './resultSettings';

/**
 * The item of a retry: the retry batch with `retry_of`, `round`, `retried` (requests sent again) and the
 * `existing` / `recovered` flags, or, when nothing needed a retry, an item saying so.
 */
export function retryItemJson(original: Batch, result: RetryResult, includeInvalid = false): IDataObject {
	const links = { retry_of: result.retryOf, retry_root: result.root, round: result.round, retried: result.retried };
	const counts = result.counts && { retried_failed: result.counts.failed, retried_missing: result.counts.missing, retried_invalid: result.counts.invalid };
	const notes = result.notes.length > 0 ? { notes: result.notes } : {};
	if (!result.batch) {
		return {
			...links,
			...counts,
			batch_id: original.id,
			batch_status: original.status,
			message: `Nothing needed a retry: no request of batch ${original.id} failed or went unanswered${includeInvalid ? ', and every answer follows the answer schema' : ''}. No file was uploaded and no batch was created.`,
		};
	}
	return {
		...(result.batch as IDataObject),
		...links,
		...counts,
		existing: result.existing === true,
		recovered: result.recovered === true,
		...(result.existing && {
			note: `Batch ${original.id} had already been retried: this is that retry (round ${result.round}); nothing new was created.`,
		}),
		...notes,
	};
}

/**
 * One item per request of a batch and its retries (see `fetchMergedResults`): each custom_id once, with its
 * latest answer, `round` (0 = the original) and `batch_id` (the batch that answered it), checked and laid out
 * as Get Results' settings say; with Include Summary, one summary item per round read (from that round's
 * own rows: counts with invalid answers, token sums; Impala's cost). What the table leaves out (a round still running) is logged and shown as a hint.
 */
export async function getMergedResultItems(
	ctx: IExecuteFunctions | IPollFunctions,
	client: ImpalaClient,
	batch: Batch,
	settings: ResultSettings,
	options: { pairedItem?: IPairedItemData; itemIndex?: number; signal?: AbortSignal },
): Promise<INodeExecutionData[]> {
	const { pairedItem, itemIndex, signal } = options;
	// Every round sends the original's lines, so the schema the batch's requests asked for is the chain's.
	const answerSchema = await schemaFor(ctx, client, batch, settings, itemIndex, signal);
	const rounds: ChainRound[] = [];
	// Each round's summary from its own rows (so invalid answers and the rows' token sums count), not the merged table's.
	const summaries = new Map<ChainRound, RowSummarizer>();
	const items: INodeExecutionData[] = [];
	const rows = fetchMergedResults(client, batch, {
		...settings.options,
		answerSchema,
		signal,
		onRound: (round) => {
			rounds.push(round);
			if (settings.includeSummary) summaries.set(round, summarizeRows());
		},
		onRoundRow: (round, row) => summaries.get(round)?.add(row),
		onNote: (message) => {
			ctx.logger.warn(`Impala: ${message}`);
			if ('addExecutionHints' in ctx) ctx.addExecutionHints({ message, location: 'outputPane' });
		},
	});
	for await (const row of rows) {
		let json = row as unknown as IDataObject;
		if (settings.topLevelPrefix !== undefined) json = answerAtTopLevel(json, settings.topLevelPrefix);
		const item: INodeExecutionData = { json };
		if (pairedItem) item.pairedItem = pairedItem;
		items.push(item);
	}
	if (settings.includeSummary) {
		for (const round of rounds) {
			const item = summaryItem(summaries.get(round)!.result(round.batch), pairedItem);
			item.json.round = round.round;
			items.push(item);
		}
	}
	return items;
}
