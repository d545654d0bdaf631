import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { ImpalaClient } from '../../src/client';
import {
	assertValidBatchSettings,
	buildLines,
	createBatchBody,
	newGroupId,
	partFileName,
	PartFailedError,
	partSummary,
	type BatchSettings,
	type BuildResult,
	type BuildSettings,
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
 * Turns rows into output items in one pass: every row is read, built and checked once and the lines
 * are kept (in memory, or a temporary file when big) until all are known to be valid; only then is
 * anything uploaded, part by part, from what was kept. The kept lines are removed whatever happens.
 * Items are pushed to `out` as they are made, so a caller still has them when a later part fails.
 */
export async function deliver(
	ctx: IExecuteFunctions,
	client: ImpalaClient | undefined,
	source: RowSource,
	delivery: Delivery,
	out: INodeExecutionData[],
): Promise<void> {
	const signal = ctx.getExecutionCancelSignal();
	const build = await buildLines(source, delivery.build, { signal });
	try {
		const groupId = delivery.build.split ? newGroupId() : undefined;
		if (delivery.mode === MODES.createBatch) {
			const parts = build.parts.length;
			assertValidBatchSettings(delivery.batch, delivery.build.endpoint, groupId ? { id: groupId, parts } : undefined);
		}
		const done: string[] = [];
		for (let index = 0; index < build.parts.length; index++) {
			await deliverPart(ctx, client, build, index, delivery, groupId, done, out, signal);
		}
	} finally {
		await build.spool.dispose();
	}
}

async function deliverPart(
	ctx: IExecuteFunctions,
	client: ImpalaClient | undefined,
	build: BuildResult,
	index: number,
	delivery: Delivery,
	groupId: string | undefined,
	done: string[],
	out: INodeExecutionData[],
	signal: AbortSignal | undefined,
): Promise<void> {
	const part = build.parts[index];
	const parts = build.parts.length;
	const fileName = partFileName(delivery.fileName, index, parts);
	const summary = partSummary(build, index, fileName, groupId);
	const pairedItem = part.items.map((item) => ({ item }));
	const bytes = () => build.spool.read(part.start, part.start + part.bytes);
	if (!client) {
		const binary = await ctx.helpers.prepareBinaryData(bytes(), fileName, 'text/plain');
		binary.fileExtension = 'jsonl';
		out.push({ json: { ...summary, preview: part.preview }, binary: { [delivery.outputBinaryField]: binary }, pairedItem });
		return;
	}
	let uploadedFileId: string | undefined;
	try {
		const file = await client.files.upload({ file: bytes(), filename: fileName, purpose: 'batch', signal });
		ctx.logger.info(`Impala Batch Builder: uploaded ${fileName} as file ${file.id} (part ${summary.part})`);
		if (delivery.mode === MODES.uploadFile) {
			out.push({ json: { ...file, summary: { ...summary, inputFileId: file.id } }, pairedItem });
			done.push(`file ${file.id} (part ${summary.part})`);
			return;
		}
		uploadedFileId = file.id;
		const group = groupId ? { id: groupId, part: index + 1, parts } : undefined;
		const body = createBatchBody(delivery.batch, delivery.build.endpoint, file.id, group);
		const batch = await client.batches.create(body, { signal });
		ctx.logger.info(`Impala Batch Builder: created batch ${batch.id} from file ${file.id} (part ${summary.part})`);
		out.push({ json: { ...batch, summary: { ...summary, inputFileId: file.id } }, pairedItem });
		done.push(`batch ${batch.id} (part ${summary.part})`);
	} catch (error) {
		if (done.length === 0 && !uploadedFileId) throw error;
		throw new PartFailedError(error, done, summary.part, uploadedFileId);
	}
}
