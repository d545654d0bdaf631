import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type IPairedItemData,
	type IPollFunctions,
} from 'n8n-workflow';
import type { ImpalaClient } from '../../src/client';
import {
	fetchBatchResults,
	findRequestSchema,
	summarizeRows,
	type BatchSummary,
	type ResultRow,
} from '../../src/results';
import type { Batch } from '../../src/schemas';
import { AnswerSchemaError, compileAnswerSchema, type JsonSchema } from '../../src/structured';
import { answerAtTopLevel } from './answerColumns';
import { toNodeError } from './errors';
import { refuseTakenFields, type ResultSettings } from './resultSettings';

export interface ResultItemOptions {
	/** Set on every item (the Impala node passes its input item; a trigger passes nothing). */
	pairedItem?: IPairedItemData;
	itemIndex?: number;
	signal?: AbortSignal;
}

type Ctx = IExecuteFunctions | IPollFunctions;

/** Summary items, told apart from result items by identity (see `routeResultItems`). */
const SUMMARY_ITEMS = new WeakSet<INodeExecutionData>();

export function isSummaryItem(item: INodeExecutionData): boolean {
	return SUMMARY_ITEMS.has(item);
}

/**
 * One n8n item per request of a finished batch, in input-file order: custom_id, status
 * (succeeded/failed/missing/invalid), the answer, usage, error; with "Include Summary", one summary item
 * last (`isSummaryItem`). Check `resultsUnavailable(batch)` first.
 */
export async function getResultItems(
	ctx: Ctx,
	client: ImpalaClient,
	batch: Batch,
	settings: ResultSettings,
	options: ResultItemOptions = {},
): Promise<INodeExecutionData[]> {
	const { pairedItem, signal, itemIndex } = options;
	const answerSchema = await schemaFor(ctx, client, batch, settings, itemIndex, signal);
	const summary = settings.includeSummary ? summarizeRows() : undefined;
	// "Only Failures" leaves rows out: the answered ones are then seen as they are built (onRow), kept by
	// custom_id (a re-read, or a success replacing a failure, calls it again for the same request), and
	// the missing ones as they come. Else every row is counted as it comes.
	const answered = summary && settings.options.onlyFailures ? new Map<string, ResultRow>() : undefined;
	const items: INodeExecutionData[] = [];
	const rows = fetchBatchResults(client, batch, {
		...settings.options,
		answerSchema,
		signal,
		...(answered && {
			onRow: (row: ResultRow) => {
				answered.set(row.custom_id, { custom_id: row.custom_id, status: row.status, usage: row.usage });
				return row;
			},
		}),
		onInputUnavailable: (inputFileId) => {
			warn(
				ctx,
				`The input file ${inputFileId} of batch ${batch.id} is gone (deleted or expired): results come in output-file order and requests without an answer cannot be listed as missing`,
			);
		},
	});
	for await (const row of rows) {
		if (summary && (!answered || row.status === 'missing')) summary.add(row);
		let json = toItemJson(row, batch);
		if (settings.topLevelPrefix !== undefined) json = answerAtTopLevel(json, settings.topLevelPrefix);
		const item: INodeExecutionData = { json };
		if (pairedItem) item.pairedItem = pairedItem;
		items.push(item);
	}
	if (summary) {
		for (const row of answered?.values() ?? []) summary.add(row);
		const item: INodeExecutionData = { json: summaryJson(summary.result(batch)) };
		if (pairedItem) item.pairedItem = pairedItem;
		SUMMARY_ITEMS.add(item);
		items.push(item);
	}
	return items;
}

/**
 * The schema the answers are checked against: none, the one given, or the one the batch's requests asked
 * for (read from the first line of its input file; chat and responses batches only).
 */
export async function schemaFor(
	ctx: Ctx,
	client: ImpalaClient,
	batch: Batch,
	settings: ResultSettings,
	itemIndex: number | undefined,
	signal: AbortSignal | undefined,
): Promise<JsonSchema | undefined> {
	const { schema: choice, topLevelPrefix } = settings;
	let schema: JsonSchema | undefined;
	if (choice.mode === 'given') schema = choice.schema;
	else if (choice.mode === 'request' && /\/(chat\/completions|responses)$/.test(batch.endpoint)) {
		const found = await findRequestSchema(client, batch, { signal });
		if (found.inputGone) {
			warn(
				ctx,
				`The input file ${batch.input_file_id} of batch ${batch.id} is gone, so the answers were not checked against the schema the requests asked for. To check them, choose "A Schema Given Here" in "Check Answers Against Schema".`,
			);
			return undefined;
		}
		schema = found.schema;
		if (schema) {
			try {
				compileAnswerSchema(schema);
			} catch (error) {
				if (!(error instanceof AnswerSchemaError)) throw toNodeError(ctx.getNode(), error, itemIndex);
				throw new NodeOperationError(ctx.getNode(), `The schema the requests of batch ${batch.id} asked for cannot be used: ${error.message}`, {
					itemIndex,
					description: 'Choose "A Schema Given Here" in "Check Answers Against Schema" and give a schema, or choose "Off".',
				});
			}
		}
	}
	if (schema && topLevelPrefix !== undefined) refuseTakenFields(ctx.getNode(), schema, topLevelPrefix, itemIndex);
	return schema;
}

/**
 * The items of Get Results on the node's outputs: [results] or [succeeded, failed/missing/invalid], and the
 * summary items on a last output when there is one (else after the results).
 */
export function routeResultItems(
	produced: INodeExecutionData[],
	layout: { separate: boolean; summary: boolean },
	outputs: INodeExecutionData[][],
): void {
	const [main, failed] = outputs;
	const summary = layout.summary ? outputs[outputs.length - 1] : main;
	// A loop, not push(...items): Get Results can produce 50,000 items, too many for spread arguments.
	for (const item of produced) {
		if (isSummaryItem(item)) summary.push(item);
		else if (layout.separate && item.json.status !== 'succeeded') failed.push(item);
		else main.push(item);
	}
}

/** Splits result items into [succeeded, failed, missing or invalid]. */
export function splitByStatus(items: INodeExecutionData[]): [INodeExecutionData[], INodeExecutionData[]] {
	const succeeded: INodeExecutionData[] = [];
	const other: INodeExecutionData[] = [];
	for (const item of items) (item.json.status === 'succeeded' ? succeeded : other).push(item);
	return [succeeded, other];
}

function toItemJson(row: ResultRow, batch: Batch): IDataObject {
	return { ...row, batch_id: batch.id } as unknown as IDataObject;
}

/** A summary item (routed to the Summary output like Get Results' own). */
export function summaryItem(summary: BatchSummary, pairedItem?: IPairedItemData): INodeExecutionData {
	const item: INodeExecutionData = { json: summaryJson(summary) };
	if (pairedItem) item.pairedItem = pairedItem;
	SUMMARY_ITEMS.add(item);
	return item;
}

/** The summary item: the summary's fields at the top level (batch_id, requests, ..., total_tokens). */
function summaryJson(summary: BatchSummary): IDataObject {
	return { ...summary } as IDataObject;
}

function warn(ctx: Ctx, message: string): void {
	ctx.logger.warn(message);
	if ('addExecutionHints' in ctx) ctx.addExecutionHints({ message, location: 'outputPane' });
}
