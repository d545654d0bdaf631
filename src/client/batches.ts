import {
	BatchSchema,
	DEFAULT_COMPLETION_WINDOW,
	isTerminalStatus,
	listEnvelopeSchema,
	type Batch,
	type CreateBatchBody,
	type ListEnvelope,
} from '../schemas';
import { isImpalaApiError } from './errors';
import { idPath, requireId } from './ids';
import { paginate } from './pagination';
import { createdAtFloor, isUnknownOutcome, lookTwice, RECONCILE_MAX_ITEMS, type ReconcileSettings } from './reconcile';
import type { ApiCall, Transport } from './transport';
import type { CreateOnceResult, ListBatchesParams, RequestOptions } from './types';

const BatchListSchema = listEnvelopeSchema(BatchSchema);

/** `/v1/batches`: create, get, list, cancel. */
export class Batches {
	readonly #transport: Transport;
	readonly #reconcile: ReconcileSettings;

	constructor(transport: Transport, reconcile: ReconcileSettings = { delayMs: 2_000 }) {
		this.#transport = transport;
		this.#reconcile = reconcile;
	}

	/**
	 * Sends the body as given, with `completion_window` defaulting to DEFAULT_COMPLETION_WINDOW and an empty `job_id`
	 * left out. Limits are not checked here: Impala is the authority and its 422 comes back as a clear
	 * error (nodes check earlier with CreateBatchBodySchema for friendlier messages).
	 */
	async create(body: CreateBatchBody, options: RequestOptions = {}): Promise<Batch> {
		return this.#transport.json(this.#createCall(body, options.signal), BatchSchema);
	}

	/**
	 * Creates the batch exactly once. The input file's ID is the natural idempotency key: when the answer
	 * is lost (outcome unknown), the batches created since the attempt are listed newest first for one made
	 * from that file, twice, a short while apart. Found: it is the answer (`recovered`). Not found: the
	 * create is sent once more, and if that answer is lost too and still no batch shows, the error says
	 * what was checked. Errors that prove nothing was created (4xx, 429) are thrown as they are.
	 */
	async createOnce(body: CreateBatchBody, options: RequestOptions = {}): Promise<CreateOnceResult> {
		const { signal } = options;
		const fileId = requireId(body.input_file_id, 'file', 'input file ID');
		const call = this.#createCall({ ...body, input_file_id: fileId }, signal);
		const started = Date.now();
		for (let round = 1; ; round++) {
			try {
				return { batch: await this.#transport.json(call, BatchSchema), recovered: false };
			} catch (error) {
				if (!isUnknownOutcome(error, signal)) throw error;
				const found = await lookTwice(() => this.#findByInputFile(fileId, started, signal), this.#reconcile, signal);
				if (found) {
					this.#transport.logger?.warn(`Impala create: the answer was lost; found batch ${found.id} made from file ${fileId}`, { batchId: found.id, fileId });
					return { batch: found, recovered: true };
				}
				const checked = `the package looked twice for a batch made from file ${fileId} among the batches created since, and found none`;
				if (round >= 2) {
					throw this.#transport.checked(
						error,
						call.action,
						`${checked}, after sending the create twice`,
						`look at the list of batches (newest first) for one made from file ${fileId} before creating it again`,
					);
				}
				this.#transport.logger?.warn(`Impala create: the answer was lost and no batch from file ${fileId} exists; sending the create again`, { fileId });
				call.afterUnknownAttempt = true;
			}
		}
	}

	async get(id: string, options: RequestOptions = {}): Promise<Batch> {
		const batchId = requireId(id, 'batch');
		return this.#transport.json(
			{ method: 'GET', path: `/batches/${idPath(batchId)}`, signal: options.signal, action: 'get the batch', resource: 'batch', id: batchId },
			BatchSchema,
		);
	}

	/** One page of batches, newest first. */
	async listPage(params: ListBatchesParams = {}): Promise<ListEnvelope<Batch>> {
		return this.#transport.json(this.#listCall(params, params.after), BatchListSchema);
	}

	/** Every batch, newest first, page after page; stop early with `break`. */
	list(params: ListBatchesParams = {}): AsyncIterableIterator<Batch> {
		return paginate(
			(after) => this.#transport.json(this.#listCall(params, after), BatchListSchema),
			params.after,
			(cursor, problem) => this.#transport.invalid(this.#listCall(params, cursor), problem),
		);
	}

	/**
	 * Older deployments answer 501: the error then says cancel is not supported by this deployment. When
	 * the answer is lost (outcome unknown) the batch is fetched: `cancelling` or `cancelled` means done;
	 * still running means the cancel is sent once more (cancelling twice does no harm).
	 */
	async cancel(id: string, options: RequestOptions = {}): Promise<Batch> {
		const batchId = requireId(id, 'batch');
		const call: ApiCall = {
			method: 'POST',
			path: `/batches/${idPath(batchId)}/cancel`,
			signal: options.signal,
			action: 'cancel the batch',
			operation: 'cancel',
			resource: 'batch',
			id: batchId,
			checkBeforeRepeating: 'get the batch to see its status',
		};
		for (let round = 1; ; round++) {
			try {
				return await this.#transport.json(call, BatchSchema);
			} catch (error) {
				if (!isUnknownOutcome(error, options.signal)) throw error;
				let batch: Batch;
				try {
					batch = await this.get(batchId, options);
				} catch (getError) {
					const why = isImpalaApiError(getError) ? getError.summary : String(getError);
					throw this.#transport.checked(error, call.action, `getting the batch to check its status failed too (${why.replace(/\.$/, '')})`, 'get the batch later to see whether it is cancelling');
				}
				if (batch.status === 'cancelling' || batch.status === 'cancelled') {
					this.#transport.logger?.debug(`Impala cancel of ${batchId}: the answer was lost; the batch is ${batch.status}`, { batchId });
					return batch;
				}
				if (isTerminalStatus(batch.status)) {
					throw this.#transport.checked(error, call.action, `the batch is now "${batch.status}"`, 'it finished before it could be cancelled: there is nothing to cancel');
				}
				call.afterUnknownAttempt = true;
				if (round >= 2) {
					throw this.#transport.checked(error, call.action, `the cancel was sent twice and the batch is still "${batch.status}"`, 'get the batch later to see whether it is cancelling, and cancel it again if not');
				}
			}
		}
	}

	/** Newest first, down to batches created before the attempt (with a margin for clock skew), bounded. */
	async #findByInputFile(fileId: string, started: number, signal: AbortSignal | undefined): Promise<Batch | undefined> {
		let floor: number | undefined;
		let seen = 0;
		for await (const batch of this.list({ limit: 100, signal })) {
			floor ??= createdAtFloor(this.#transport, started);
			if (batch.input_file_id === fileId && batch.created_at >= floor) return batch;
			if (batch.created_at < floor || ++seen >= RECONCILE_MAX_ITEMS) return undefined;
		}
		return undefined;
	}

	#createCall(body: CreateBatchBody, signal: AbortSignal | undefined): ApiCall {
		const { job_id, completion_window, ...rest } = body;
		const payload: Record<string, unknown> = { ...rest, completion_window: completion_window || DEFAULT_COMPLETION_WINDOW };
		if (job_id) payload.job_id = job_id;
		return {
			method: 'POST',
			path: '/batches',
			json: payload,
			signal,
			action: 'create the batch',
			checkBeforeRepeating: 'look at the list of batches (newest first)',
		};
	}

	#listCall(params: ListBatchesParams, after: string | undefined): ApiCall {
		return {
			method: 'GET',
			path: '/batches',
			query: { limit: params.limit, after },
			signal: params.signal,
			action: 'list the batches',
		};
	}
}
