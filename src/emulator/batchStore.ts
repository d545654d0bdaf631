import type { Batch, BatchEndpoint, Metadata } from '../schemas';
import { newId, nowSeconds } from './ids';
import type { ReadPosition } from './lineReader';
import { paginate } from './pagination';
import type { ShuffledLineWriter } from './shuffledWriter';

/** USD per million tokens shown on batches (newer deployments report a price). */
export const PRICE_1M_TOKENS = 0.5;
/** Batches are given 30 days; the emulator never expires one by itself (see `emu.expire`). */
const BATCH_LIFETIME_SECONDS = 2_592_000;

/** The emulator's working state of one batch; `batch` is what the API shows. */
export interface BatchRecord {
	batch: Batch;
	endpoint: BatchEndpoint;
	outputExpiresAfterSeconds: number;
	jobModel?: string;
	/** Where processing resumes in the input file. */
	position: ReadPosition;
	output?: ShuffledLineWriter;
	errorOutput?: ShuffledLineWriter;
	expireRequested: boolean;
	/** Serialises lifecycle steps of this batch. */
	lock: Promise<unknown>;
	timer?: NodeJS.Timeout;
}

export interface NewBatch {
	endpoint: BatchEndpoint;
	inputFileId: string;
	completionWindow: string;
	jobId?: string;
	jobModel?: string;
	metadata?: Metadata;
	outputExpiresAfterSeconds: number;
}

export class BatchStore {
	/** In creation order (a Map keeps insertion order). */
	private readonly records = new Map<string, BatchRecord>();

	create(input: NewBatch, createdAt: number = nowSeconds()): BatchRecord {
		const batch: Batch = {
			id: newId('batch'),
			object: 'batch',
			endpoint: input.endpoint,
			input_file_id: input.inputFileId,
			completion_window: input.completionWindow,
			job_id: input.jobId ?? null,
			status: 'validating',
			output_file_id: null,
			error_file_id: null,
			errors: null,
			created_at: createdAt,
			in_progress_at: null,
			expires_at: createdAt + BATCH_LIFETIME_SECONDS,
			finalizing_at: null,
			completed_at: null,
			failed_at: null,
			expired_at: null,
			cancelling_at: null,
			cancelled_at: null,
			request_counts: { total: 0, completed: 0, failed: 0 },
			// Not null: the spec types these as a (non-nullable) object, string and numbers with defaults.
			metadata: input.metadata ?? {},
			model: input.jobModel ?? '',
			usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
			price_1m_tokens: PRICE_1M_TOKENS,
			processing_cost: 0,
		};
		const record: BatchRecord = {
			batch,
			endpoint: input.endpoint,
			outputExpiresAfterSeconds: input.outputExpiresAfterSeconds,
			jobModel: input.jobModel,
			position: { offset: 0, lineNumber: 1 },
			expireRequested: false,
			lock: Promise.resolve(),
		};
		this.records.set(batch.id, record);
		return record;
	}

	/**
	 * Test seeding: `count` batches at once, oldest first (so the list stays newest first), without HTTP.
	 * `validating` ones move on with `emu.advance` (their input file must exist); terminal ones carry their
	 * timestamps but no output files.
	 */
	seed(count: number, options: SeedBatchesOptions): BatchRecord[] {
		const records: BatchRecord[] = [];
		for (let i = 0; i < count; i++) {
			const createdAt = options.createdAt?.(i) ?? nowSeconds();
			const record = this.create(
				{
					endpoint: options.endpoint ?? '/v1/chat/completions',
					inputFileId: options.inputFileId ?? 'file-seeded',
					completionWindow: 'unlimited',
					jobId: options.jobId,
					metadata: options.metadata,
					outputExpiresAfterSeconds: BATCH_LIFETIME_SECONDS,
				},
				createdAt,
			);
			const status = options.status ?? 'validating';
			const { batch } = record;
			batch.status = status;
			if (status !== 'validating') {
				batch.in_progress_at = status === 'failed' ? null : createdAt + 1;
				if (status === 'completed') batch.finalizing_at = createdAt + 2;
				if (status === 'cancelled') batch.cancelling_at = createdAt + 2;
				batch[`${status}_at`] = createdAt + 3;
			}
			records.push(record);
		}
		return records;
	}

	get(id: string): BatchRecord | undefined {
		return this.records.get(id);
	}

	all(): BatchRecord[] {
		return [...this.records.values()];
	}

	/** Newest first, like OpenAI. */
	list(after: string | undefined, limit: number) {
		const newestFirst = this.all().reverse().map((r) => r.batch);
		const page = paginate(newestFirst, after, limit);
		return { ...page, data: page.data.map((batch) => structuredClone(batch)) };
	}
}

export interface SeedBatchesOptions {
	/** Default 'validating'; terminal statuses get every timestamp on their way there. */
	status?: 'validating' | 'completed' | 'failed' | 'expired' | 'cancelled';
	/** created_at (Unix seconds) of the i-th seeded batch (0 = the oldest); default now. */
	createdAt?: (index: number) => number;
	/** A real uploaded file, so `emu.advance` can run a seeded `validating` batch. */
	inputFileId?: string;
	endpoint?: BatchEndpoint;
	jobId?: string;
	metadata?: Metadata;
}

/** A copy of the batch as the API returns it, safe from later mutation. */
export function viewOf(record: BatchRecord): Batch {
	return structuredClone(record.batch);
}
