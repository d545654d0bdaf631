import type {
	IExecuteFunctions,
	INodeExecutionData,
	IPairedItemData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';
import type { ImpalaClient } from '../../src/client';
import { base64Chunks, readCsvRows, type CsvEncoding, type Delimiter } from '../../src/csv';
import { PartFailedError, type BuildSettings, type RowSource } from '../../src/jsonl';
import { getImpalaClient } from '../shared/client';
import { errorItem, toNodeError } from '../shared/errors';
import { readBatchSettings, readCostSettings } from '../shared/batchSettings';
import { deliver, type Delivery } from './deliver';
import { MODES, SOURCES, type Mode } from './description';
import { fileRowSource } from './rows/fileSource';
import { itemRowSource } from './rows/itemSource';
import { readEndpoint } from './rows/readRequest';
import { assertResponseFormat } from './responseFormat';

/**
 * n8n items: all items make one batch (or one group of parts). Files: each item's file makes its own.
 * With Continue On Fail, a job that fails gives one error item (paired with its items) and the other
 * jobs go on; parts already created are kept in the output.
 */
export async function runBuilder(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const out: INodeExecutionData[] = [];
	if (items.length === 0) return out;
	const source = ctx.getNodeParameter('source', 0) as string;
	if (source === SOURCES.items) {
		// Settings are read from the first item; the item at fault is known only per problem.
		await runJob(ctx, out, { settingsItem: 0 }, items.map((_, item) => ({ item })), async (delivery) =>
			itemRowSource(ctx, items, delivery.build.endpoint, !delivery.build.generateCustomIds),
		);
		return out;
	}
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		await runJob(ctx, out, { settingsItem: itemIndex, faultItem: itemIndex }, [{ item: itemIndex }], async (delivery) => {
			const { csv, label } = await openCsv(ctx, itemIndex);
			return fileRowSource(ctx, itemIndex, csv, label, delivery.build.endpoint, !delivery.build.generateCustomIds);
		});
	}
	return out;
}

async function runJob(
	ctx: IExecuteFunctions,
	out: INodeExecutionData[],
	at: { settingsItem: number; faultItem?: number },
	pairedItem: IPairedItemData[],
	makeSource: (delivery: Delivery) => Promise<RowSource>,
): Promise<void> {
	try {
		const delivery = readDelivery(ctx, at.settingsItem);
		// Inside the per-item handling: a credential that cannot make a client is this job's failure.
		const client: ImpalaClient | undefined = delivery.mode === MODES.buildJsonl ? undefined : await getImpalaClient(ctx);
		await deliver(ctx, client, await makeSource(delivery), delivery, out);
	} catch (caught) {
		const error = toBuilderError(ctx, caught, at.faultItem);
		if (!ctx.continueOnFail()) throw error;
		const faulty = error.context.itemIndex;
		out.push(errorItem(error, typeof faulty === 'number' ? { item: faulty } : pairedItem));
	}
}

function readDelivery(ctx: IExecuteFunctions, itemIndex: number): Delivery {
	const fileOptions = ctx.getNodeParameter('fileOptions', itemIndex, {}) as { fileName?: string; outputBinaryField?: string };
	const build: BuildSettings = {
		endpoint: readEndpoint(ctx.getNodeParameter('endpoint', itemIndex)),
		generateCustomIds: ctx.getNodeParameter('customIdSource', itemIndex) === 'generate',
		split: ctx.getNodeParameter('split', itemIndex, false) as boolean,
	};
	const mode = ctx.getNodeParameter('mode', itemIndex) as Mode;
	assertResponseFormat(ctx, itemIndex, build.endpoint);
	return {
		mode,
		build,
		batch: readBatchSettings(ctx, itemIndex, 'batchOptions'),
		cost: readCostSettings(ctx, itemIndex),
		fileName: fileOptions.fileName ?? 'batch-input.jsonl',
		outputBinaryField: fileOptions.outputBinaryField || 'data',
	};
}

/** The CSV/TSV file of an item, read as a stream: n8n's binary stream when it is stored outside the item. */
async function openCsv(ctx: IExecuteFunctions, itemIndex: number) {
	const property = ctx.getNodeParameter('binaryPropertyName', itemIndex) as string;
	const binary = ctx.helpers.assertBinaryData(itemIndex, property);
	const label = binary.fileName ? `"${binary.fileName}"` : `the file in "${property}"`;
	const delimiter = ctx.getNodeParameter('fileOptions.delimiter', itemIndex, 'auto') as Delimiter | 'auto';
	const encoding = ctx.getNodeParameter('fileOptions.encoding', itemIndex, 'auto') as CsvEncoding;
	const bytes = binary.id ? await ctx.helpers.getBinaryStream(binary.id) : base64Chunks(binary.data);
	const csv = await readCsvRows(bytes, { delimiter: delimiter === 'auto' ? undefined : delimiter, encoding, fileLabel: label });
	return { csv, label };
}

/**
 * Every error goes through the shared mapper; a failure after uploads also names the files and batches
 * already made, so the user can use or delete them.
 */
function toBuilderError(ctx: IExecuteFunctions, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	const node = ctx.getNode();
	if (error instanceof PartFailedError) {
		const mapped = toNodeError(node, error.cause, itemIndex);
		if (error.done.length > 0) mapped.message = `Part ${error.part} failed: ${mapped.message}`;
		// The cause already says what became of this part's file (submitBatch): add what earlier parts made.
		const notes = [`Already done, and kept: ${error.done.join(', ')}.`];
		mapped.description = [mapped.description, ...notes].filter(Boolean).join(' ');
		return mapped;
	}
	return toNodeError(node, error, itemIndex);
}
