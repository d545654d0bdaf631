import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isTerminalStatus, type Batch } from '../schemas';
import { answerLine } from './answers';
import { PRICE_1M_TOKENS, viewOf, type BatchRecord, type BatchStore } from './batchStore';
import type { FileStore } from './fileStore';
import { nowSeconds } from './ids';
import { readLines } from './lineReader';
import { requestsPerStep, stepMsOf, type ResolvedOptions } from './options';
import { ShuffledLineWriter } from './shuffledWriter';
import { validateInputFile, type InputError } from './validateInput';

/**
 * Moves batches through `validating → in_progress → finalizing → completed` (or `failed`,
 * `cancelling → cancelled`, `expired`), one step at a time: on timers, or only through
 * `advance()` when the pace is 'manual'. Each `in_progress` step answers up to
 * `requestsPerStep` requests, so partial progress shows in `request_counts`.
 */
export class BatchLifecycle {
	private closing = false;

	constructor(
		private readonly batches: BatchStore,
		private readonly files: FileStore,
		private readonly options: ResolvedOptions,
		private readonly workDir: string,
	) {}

	async init(): Promise<void> {
		await mkdir(this.workDir, { recursive: true });
	}

	/** Starts the timers of a new batch (nothing to do when the pace is manual). */
	started(record: BatchRecord): void {
		this.schedule(record);
	}

	/** `cancelling` now; `cancelled` (with the partial output) at the next step. */
	cancel(record: BatchRecord): void {
		const { batch } = record;
		if (batch.status === 'cancelling' || isTerminalStatus(batch.status)) return;
		batch.status = 'cancelling';
		batch.cancelling_at = nowSeconds();
		this.schedule(record);
	}

	async advance(record: BatchRecord, steps: number): Promise<Batch> {
		for (let i = 0; i < steps && !isTerminalStatus(record.batch.status); i++) {
			await this.locked(record, () => this.step(record));
		}
		return viewOf(record);
	}

	/** Forces `expired`, keeping the output of the requests answered so far. */
	async expire(record: BatchRecord): Promise<Batch> {
		if (isTerminalStatus(record.batch.status)) return viewOf(record);
		record.expireRequested = true;
		await this.locked(record, async () => {
			if (isTerminalStatus(record.batch.status)) return;
			await this.finish(record, 'expired');
		});
		return viewOf(record);
	}

	async close(): Promise<void> {
		this.closing = true;
		const records = this.batches.all();
		for (const record of records) clearTimeout(record.timer);
		await Promise.allSettled(records.map((r) => r.lock));
		for (const record of records) {
			record.output?.destroy();
			record.errorOutput?.destroy();
		}
	}

	private schedule(record: BatchRecord): void {
		const stepMs = stepMsOf(this.options.pace);
		if (stepMs === undefined || this.closing || record.timer || isTerminalStatus(record.batch.status)) return;
		record.timer = setTimeout(() => {
			record.timer = undefined;
			void this.locked(record, () => this.step(record)).then(() => this.schedule(record));
		}, stepMs);
	}

	private locked(record: BatchRecord, fn: () => Promise<void>): Promise<void> {
		const run = record.lock.then(async () => {
			if (this.closing) return;
			try {
				await fn();
			} catch (error) {
				await this.fail(record, [
					{ code: 'internal_error', line: null, message: `The emulator could not process the batch: ${(error as Error).message}`, param: null },
				]);
			}
		});
		record.lock = run;
		return run;
	}

	private async step(record: BatchRecord): Promise<void> {
		switch (record.batch.status) {
			case 'validating':
				return this.validate(record);
			case 'in_progress':
				return this.process(record);
			case 'finalizing':
				return this.finish(record, 'completed');
			case 'cancelling':
				return this.finish(record, 'cancelled');
		}
	}

	private async validate(record: BatchRecord): Promise<void> {
		const input = this.files.get(record.batch.input_file_id);
		if (!input) {
			return this.fail(record, [
				{ code: 'file_not_found', line: null, message: 'The input file was deleted before the batch started.', param: 'input_file_id' },
			]);
		}
		const result = await validateInputFile(input.path, input.object.bytes, record.endpoint);
		if (record.batch.status !== 'validating') return; // cancelled meanwhile
		if (result.errors.length > 0) return this.fail(record, result.errors);
		const { batch } = record;
		batch.status = 'in_progress';
		batch.in_progress_at = nowSeconds();
		batch.request_counts = { total: result.total, completed: 0, failed: 0 };
		batch.model = record.jobModel ?? result.firstModel ?? '';
		const dir = join(this.workDir, batch.id);
		await mkdir(dir, { recursive: true });
		record.output = new ShuffledLineWriter(join(dir, 'output.jsonl'));
		record.errorOutput = new ShuffledLineWriter(join(dir, 'errors.jsonl'));
	}

	private async process(record: BatchRecord): Promise<void> {
		const { batch } = record;
		const input = this.files.get(batch.input_file_id);
		if (!input) {
			return this.fail(record, [
				{ code: 'file_not_found', line: null, message: 'The input file was deleted while the batch was running.', param: 'input_file_id' },
			]);
		}
		const counts = batch.request_counts!;
		const perStep = requestsPerStep(this.options.pace);
		const ctx = {
			batchId: batch.id,
			createdAt: batch.created_at,
			failingModel: this.options.failingModel,
			jobModel: record.jobModel,
			answerFaults: this.options.answerFaults,
			isRetry: typeof batch.metadata?.retry_of === 'string' && batch.metadata.retry_of !== '',
		};
		let answered = 0;
		const stopped = () => this.closing || record.expireRequested || batch.status !== 'in_progress';
		for await (const line of readLines(input.path, record.position)) {
			if (answered >= perStep || stopped()) break;
			record.position = { offset: line.nextOffset, lineNumber: line.lineNumber + 1 };
			if (line.text.trim() === '') continue;
			const request = JSON.parse(line.text) as { custom_id: string; body: Record<string, unknown> };
			const answer = answerLine(record.endpoint, request, ctx, line.lineNumber);
			if (answer.ok) {
				await record.output!.add(request.custom_id, answer.json);
				counts.completed++;
				const usage = batch.usage!;
				usage.prompt_tokens = (usage.prompt_tokens ?? 0) + answer.usage.prompt_tokens;
				usage.completion_tokens = (usage.completion_tokens ?? 0) + answer.usage.completion_tokens;
				usage.total_tokens = (usage.total_tokens ?? 0) + answer.usage.total_tokens;
				batch.processing_cost = Math.round((usage.total_tokens ?? 0) * PRICE_1M_TOKENS * 1e3) / 1e9;
			} else {
				await record.errorOutput!.add(request.custom_id, answer.json);
				counts.failed++;
			}
			answered++;
		}
		// No flush here: the writers shuffle within their window across steps; finish() flushes.
		if (counts.completed + counts.failed >= counts.total && batch.status === 'in_progress' && !record.expireRequested) {
			batch.status = 'finalizing';
			batch.finalizing_at = nowSeconds();
		}
	}

	/** Ends the batch with its output and error files (partial ones for cancelled and expired). */
	private async finish(record: BatchRecord, status: 'completed' | 'cancelled' | 'expired'): Promise<void> {
		const { batch } = record;
		const outputLines = (await record.output?.close()) ?? false;
		const errorLines = (await record.errorOutput?.close()) ?? false;
		if (record.output && (outputLines || status === 'completed')) {
			if (!outputLines) await writeFile(record.output.path, '');
			batch.output_file_id = await this.storeOutput(record, record.output, 'output');
		}
		if (record.errorOutput && errorLines) {
			batch.error_file_id = await this.storeOutput(record, record.errorOutput, 'error');
		}
		const now = nowSeconds();
		batch.status = status;
		if (status === 'completed') batch.completed_at = now;
		if (status === 'cancelled') batch.cancelled_at = now;
		if (status === 'expired') batch.expired_at = now;
		await this.removeWorkDir(record);
	}

	private async storeOutput(record: BatchRecord, writer: ShuffledLineWriter, kind: 'output' | 'error'): Promise<string> {
		const file = await this.files.add({
			fromPath: writer.path,
			bytes: writer.bytes,
			filename: `${record.batch.id}_${kind}.jsonl`,
			purpose: 'batch_output',
			expiresAfterSeconds: record.outputExpiresAfterSeconds,
		});
		return file.id;
	}

	private async fail(record: BatchRecord, errors: InputError[]): Promise<void> {
		const { batch } = record;
		record.output?.destroy();
		record.errorOutput?.destroy();
		batch.status = 'failed';
		batch.failed_at = nowSeconds();
		batch.errors = { object: 'list', data: errors };
		await this.removeWorkDir(record);
	}

	private async removeWorkDir(record: BatchRecord): Promise<void> {
		await rm(join(this.workDir, record.batch.id), { recursive: true, force: true });
	}
}
