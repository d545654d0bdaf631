import { Readable } from 'node:stream';
import type { IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { getImpalaClient } from '../shared/client';
import {
	assertValidBatchSettings,
	createBatchBody,
	jsonlBytesWithPreview,
	newGroupId,
	partFileName,
	PartFailedError,
	partLines,
	partSummary,
	planBuild,
	rememberingLineError,
	type BatchSettings,
	type BuildSettings,
	type PartPlan,
	type RowSource,
} from '../../src/jsonl';
import { MODES, type Mode } from './description';

export interface Delivery {
	mode: Mode;
	build: BuildSettings;
	batch: BatchSettings;
	fileName: string;
	outputBinaryField: string;
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
		assertValidBatchSettings(delivery.batch, delivery.build.endpoint, groupId ? { id: groupId, parts } : undefined);
	}
	const client = delivery.mode === MODES.buildJsonl ? undefined : await getImpalaClient(ctx);
	const done: string[] = [];
	const signal = ctx.getExecutionCancelSignal();

	for (let index = 0; index < parts; index++) {
		const part = plan.parts[index];
		const fileName = partFileName(delivery.fileName, index, parts);
		const summary = partSummary(source, plan, index, fileName, groupId);
		const pairedItem = pairedItemsOf(source, part);
		const sourceFailure: { error?: unknown } = {};
		const lines = rememberingLineError(partLines(source, delivery.build, plan, index), sourceFailure);
		let uploadedFileId: string | undefined;
		let failure: { error: unknown } | undefined;
		try {
			if (!client) {
				const preview: unknown[] = [];
				const bytes = Readable.from(jsonlBytesWithPreview(lines, preview));
				const binary = await ctx.helpers.prepareBinaryData(bytes, fileName, 'text/plain');
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
			const batch = await client.batches.create(createBatchBody(delivery.batch, delivery.build.endpoint, file.id, group), {
				signal,
			});
			out.push({ json: { ...batch, summary: { ...summary, inputFileId: file.id } }, pairedItem });
			done.push(`batch ${batch.id} (part ${summary.part})`);
		} catch (caught) {
			// The client reports a failing body as a broken upload; the row's own error says more.
			failure = { error: sourceFailure.error ?? caught };
		}
		// Thrown outside the catch: run.ts maps it (toNodeError) for n8n.
		if (!failure) continue;
		if (done.length === 0 && !uploadedFileId) throw failure.error;
		throw new PartFailedError(failure.error, done, summary.part, uploadedFileId);
	}
}

/** Every n8n item behind the part's rows (a file's rows all come from the item holding it). */
function pairedItemsOf(source: RowSource, part: PartPlan): IPairedItemData[] {
	const items = new Set<number>();
	for (let index = part.first; index < part.end; index++) items.add(source.itemIndexOf(index));
	return [...items].map((item) => ({ item }));
}
