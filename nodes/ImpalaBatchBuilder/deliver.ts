import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { submitBatch } from '../../src/batches';
import type { ImpalaClient } from '../../src/client';
import {
	assertValidBatchSettings,
	assertValidCostSettings,
	assertWithinMaxCost,
	buildLines,
	createBatchBody,
	newGroupId,
	partFileName,
	PartFailedError,
	partEstimate,
	partSummary,
	TokenEstimator,
	type BatchSettings,
	type BuildResult,
	type BuildSettings,
	type CostSettings,
	type RowSource,
	type TokenEstimate,
} from '../../src/jsonl';
import { MODES, type Mode } from './description';

export interface Delivery {
	mode: Mode;
	build: BuildSettings;
	batch: BatchSettings;
	cost: CostSettings;
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
	assertValidCostSettings(delivery.cost);
	// The estimate sees every request body as it is built (characters, and a sample's text to tokenize).
	const estimator = new TokenEstimator(delivery.build.endpoint);
	const build = await buildLines(source, { ...delivery.build, onBody: estimator.onBody }, { signal });
	try {
		const groupId = delivery.build.split ? newGroupId() : undefined;
		if (delivery.mode === MODES.createBatch) {
			const parts = build.parts.length;
			assertValidBatchSettings(delivery.batch, delivery.build.endpoint, groupId ? { id: groupId, parts } : undefined);
		}
		const estimate = await estimator.estimate(build.parts);
		signal?.throwIfAborted();
		// Build JSONL Only uploads nothing: it shows the estimate, whatever the maximum.
		if (delivery.mode !== MODES.buildJsonl) assertWithinMaxCost(estimate.total, delivery.cost);
		const done: string[] = [];
		for (let index = 0; index < build.parts.length; index++) {
			await deliverPart(ctx, client, build, index, delivery, groupId, done, out, signal, estimate);
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
	estimate: TokenEstimate,
): Promise<void> {
	const part = build.parts[index];
	const parts = build.parts.length;
	const fileName = partFileName(delivery.fileName, index, parts);
	const summary = partSummary(build, index, fileName, groupId, partEstimate(estimate, index, delivery.cost.pricePerMillion));
	const pairedItem = part.items.map((item) => ({ item }));
	const bytes = () => build.spool.read(part.start, part.start + part.bytes);
	if (!client) {
		const binary = await ctx.helpers.prepareBinaryData(bytes(), fileName, 'text/plain');
		binary.fileExtension = 'jsonl';
		out.push({ json: { ...summary, preview: part.preview }, binary: { [delivery.outputBinaryField]: binary }, pairedItem });
		return;
	}
	const log = (message: string) => ctx.logger.info(`Impala Batch Builder: ${message} (part ${summary.part})`);
	let failure: { error: unknown };
	try {
		if (delivery.mode === MODES.uploadFile) {
			// `bytes` is a factory: an upload refused with 429 (or never connected) is sent again from the kept lines.
			const { file, recovered } = await client.files.uploadOnce({ file: bytes, filename: fileName, purpose: 'batch', signal });
			log(`uploaded ${fileName} as file ${file.id}`);
			out.push({ json: { ...file, summary: { ...summary, inputFileId: file.id, ...(recovered && { recovered }) } }, pairedItem });
			done.push(`file ${file.id} (part ${summary.part})`);
			return;
		}
		const group = groupId ? { id: groupId, part: index + 1, parts } : undefined;
		const { input_file_id: _none, ...body } = createBatchBody(delivery.batch, delivery.build.endpoint, '', group);
		const { file, batch, recovered } = await submitBatch(client, {
			file: bytes,
			filename: fileName,
			body,
			signal,
			onFileUploaded: (uploaded) => log(`uploaded ${fileName} as file ${uploaded.id}`),
			// Logged the moment it exists, before anything else can fail.
			onBatchCreated: (created) => log(`created batch ${created.id} from file ${created.input_file_id}`),
		});
		const found = recovered.upload || recovered.create ? { recovered } : {};
		out.push({ json: { ...batch, summary: { ...summary, inputFileId: file.id, ...found } }, pairedItem });
		done.push(`batch ${batch.id} (part ${summary.part})`);
		return;
	} catch (error) {
		failure = { error };
	}
	// Thrown outside the catch: run.ts maps it (toNodeError) for n8n.
	if (done.length === 0) throw failure.error;
	throw new PartFailedError(failure.error, done, summary.part);
}
