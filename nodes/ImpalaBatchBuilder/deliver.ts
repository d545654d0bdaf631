import { Readable } from 'node:stream';
import type { IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { getImpalaClient } from '../shared/client';
import {
	newGroupId,
	partLines,
	planBuild,
	type BuildPlan,
	type BuildSettings,
	type PartPlan,
	type RowSource,
} from '../../src/jsonl';
import { checkBatchSettings, createBody, type BatchSettings } from './batchSettings';
import { MODES, type Mode } from './description';

export interface Delivery {
	mode: Mode;
	build: BuildSettings;
	batch: BatchSettings;
	fileName: string;
	outputBinaryField: string;
}

const PREVIEW_LINES = 3;

/**
 * A failure after something was already uploaded or started: says which, so nothing is lost.
 * `uploadedFileId`: this part's file, uploaded but with no batch started from it.
 */
export class PartFailedError extends Error {
	constructor(
		readonly cause: unknown,
		readonly done: string[],
		readonly part: string,
		readonly uploadedFileId?: string,
	) {
		super(cause instanceof Error ? cause.message : String(cause));
		this.name = 'PartFailedError';
	}
}

/**
 * Turns rows into output items: pass one plans and validates everything (nothing leaves the machine
 * when it fails), then each part is rebuilt straight into the upload or the binary output.
 * Items are pushed to `out` as they are made, so a caller still has them when a later part fails.
 */
export async function deliver(
	ctx: IExecuteFunctions,
	source: RowSource,
	delivery: Delivery,
	out: INodeExecutionData[],
): Promise<void> {
	const plan = planBuild(source, delivery.build);
	const parts = plan.parts.length;
	const groupId = delivery.build.split ? newGroupId() : undefined;
	if (delivery.mode === MODES.createBatch) {
		checkBatchSettings(delivery.batch, delivery.build.endpoint, groupId ? { id: groupId, parts } : undefined);
	}
	const client = delivery.mode === MODES.buildJsonl ? undefined : await getImpalaClient(ctx);
	const done: string[] = [];
	const signal = ctx.getExecutionCancelSignal();

	for (let index = 0; index < parts; index++) {
		const part = plan.parts[index];
		const fileName = partFileName(delivery.fileName, index, parts);
		const summary = summarize(source, plan, part, index, fileName, groupId);
		const pairedItem = pairedItemsOf(source, part);
		const sourceFailure: { error?: unknown } = {};
		const lines = remembering(partLines(source, delivery.build, plan, index), sourceFailure);
		let uploadedFileId: string | undefined;
		try {
			if (!client) {
				const preview: unknown[] = [];
				const binary = await ctx.helpers.prepareBinaryData(Readable.from(bytesOf(lines, preview)), fileName, 'text/plain');
				binary.fileExtension = 'jsonl';
				out.push({
					json: { ...summary, preview },
					binary: { [delivery.outputBinaryField]: binary },
					pairedItem,
				});
				continue;
			}
			const file = await client.files.upload({ file: lines, filename: fileName, purpose: 'batch', signal });
			if (delivery.mode === MODES.uploadFile) {
				out.push({ json: { ...file, summary: { ...summary, inputFileId: file.id } }, pairedItem });
				done.push(`file ${file.id} (part ${summary.part})`);
				continue;
			}
			uploadedFileId = file.id;
			const group = groupId ? { id: groupId, part: index + 1, parts } : undefined;
			const batch = await client.batches.create(createBody(delivery.batch, delivery.build.endpoint, file.id, group), {
				signal,
			});
			out.push({ json: { ...batch, summary: { ...summary, inputFileId: file.id } }, pairedItem });
			done.push(`batch ${batch.id} (part ${summary.part})`);
		} catch (caught) {
			// The client reports a failing body as a broken upload; the row's own error says more.
			const error = sourceFailure.error ?? caught;
			if (done.length === 0 && !uploadedFileId) throw error;
			throw new PartFailedError(error, done, summary.part, uploadedFileId);
		}
	}
}

function summarize(source: RowSource, plan: BuildPlan, part: PartPlan, index: number, fileName: string, groupId?: string) {
	return {
		endpoint: plan.endpoint,
		rows: part.lines,
		bytes: part.bytes,
		...(plan.endpoint === '/v1/embeddings' && { embeddingInputs: part.embeddingInputs }),
		part: `${index + 1}/${plan.parts.length}`,
		...(groupId && { groupId }),
		firstRow: `${source.noun} ${source.numberOf(part.first)}`,
		lastRow: `${source.noun} ${source.numberOf(part.end - 1)}`,
		fileName,
	};
}

/** Every n8n item behind the part's rows (a file's rows all come from the item holding it). */
function pairedItemsOf(source: RowSource, part: PartPlan): IPairedItemData[] {
	const items = new Set<number>();
	for (let index = part.first; index < part.end; index++) items.add(source.itemIndexOf(index));
	return [...items].map((item) => ({ item }));
}

function partFileName(fileName: string, index: number, parts: number): string {
	const name = fileName.trim() || 'batch-input.jsonl';
	if (parts === 1) return name;
	const dot = name.toLowerCase().endsWith('.jsonl') ? name.length - '.jsonl'.length : name.length;
	return `${name.slice(0, dot)}.part-${index + 1}-of-${parts}${name.slice(dot)}`;
}

/** Passes the lines through, noting an error the rows throw before it reaches the client. */
async function* remembering(lines: AsyncIterable<string>, failure: { error?: unknown }): AsyncGenerator<string> {
	try {
		yield* lines;
	} catch (error) {
		failure.error = error;
		throw error;
	}
}

/** The lines as bytes for a binary file, keeping the first few parsed as a preview. */
async function* bytesOf(lines: AsyncIterable<string>, preview: unknown[]): AsyncGenerator<Buffer> {
	for await (const chunk of lines) {
		if (preview.length < PREVIEW_LINES) {
			for (const line of chunk.split('\n')) {
				if (line && preview.length < PREVIEW_LINES) preview.push(JSON.parse(line));
			}
		}
		yield Buffer.from(chunk, 'utf8');
	}
}
