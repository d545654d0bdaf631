import {
	BatchSchema,
	DEFAULT_COMPLETION_WINDOW,
	listEnvelopeSchema,
	type Batch,
	type CreateBatchBody,
	type ListEnvelope,
} from '../schemas';
import { idPath, requireId } from './ids';
import { paginate } from './pagination';
import type { ApiCall, Transport } from './transport';
import type { ListBatchesParams, RequestOptions } from './types';

const BatchListSchema = listEnvelopeSchema(BatchSchema);

/** `/v1/batches`: create, get, list, cancel. */
export class Batches {
	readonly #transport: Transport;

	constructor(transport: Transport) {
		this.#transport = transport;
	}

	/**
	 * Sends the body as given, with `completion_window` defaulting to DEFAULT_COMPLETION_WINDOW and an empty `job_id`
	 * left out. Limits are not checked here: Impala is the authority and its 422 comes back as a clear
	 * error (nodes check earlier with CreateBatchBodySchema for friendlier messages).
	 */
	async create(body: CreateBatchBody, options: RequestOptions = {}): Promise<Batch> {
		const { job_id, completion_window, ...rest } = body;
		const payload: Record<string, unknown> = { ...rest, completion_window: completion_window || DEFAULT_COMPLETION_WINDOW };
		if (job_id) payload.job_id = job_id;
		return this.#transport.json(
			{
				method: 'POST',
				path: '/batches',
				json: payload,
				signal: options.signal,
				action: 'create the batch',
				checkBeforeRepeating: 'look at the list of batches (newest first)',
			},
			BatchSchema,
		);
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

	/** Older deployments answer 501: the error then says cancel is not supported by this deployment. */
	async cancel(id: string, options: RequestOptions = {}): Promise<Batch> {
		const batchId = requireId(id, 'batch');
		return this.#transport.json(
			{
				method: 'POST',
				path: `/batches/${idPath(batchId)}/cancel`,
				signal: options.signal,
				action: 'cancel the batch',
				operation: 'cancel',
				resource: 'batch',
				id: batchId,
				checkBeforeRepeating: 'get the batch to see its status',
			},
			BatchSchema,
		);
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
