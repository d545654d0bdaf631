import {
	BatchEndpointSchema,
	BATCH_ENDPOINTS,
	CreateBatchBodySchema,
	ExpiresAfterSchema,
	LIMITS,
	MetadataSchema,
	isTerminalStatus,
	normalizeEndpoint,
} from '../../schemas';
import { viewOf } from '../batchStore';
import { apiError, isPlainObject, notFound, readJsonBody, sendJson } from '../http';
import { intQuery, type RouteHandler, type RouteContext } from './context';

const invalid = (param: string, message: string, code = 'invalid_value') =>
	apiError(422, { message, param, code, type: 'invalid_request_error' });

/** Request-level checks of POST /v1/batches: 422 `{"error": ...}` naming the field. */
export const createBatch: RouteHandler = async ({ req, res, state, log }) => {
	const parsedBody = await readJsonBody(req);
	if (parsedBody.ok) log.jsonBody = parsedBody.value;
	if (!parsedBody.ok || !isPlainObject(parsedBody.value)) {
		throw invalid('body', 'The request body must be a JSON object.', 'invalid_body');
	}
	const body = parsedBody.value;

	const inputFileId = CreateBatchBodySchema.shape.input_file_id.safeParse(body.input_file_id);
	if (!inputFileId.success) {
		throw invalid('input_file_id', 'input_file_id is required: the id of a file uploaded with purpose "batch".', 'missing_required_parameter');
	}
	const rawEndpoint = typeof body.endpoint === 'string' ? normalizeEndpoint(body.endpoint) : body.endpoint;
	const endpoint = BatchEndpointSchema.safeParse(rawEndpoint);
	if (!endpoint.success) {
		throw invalid('endpoint', `endpoint must be one of ${BATCH_ENDPOINTS.join(', ')}.`);
	}
	if (body.completion_window !== 'unlimited') {
		throw invalid('completion_window', `completion_window must be 'unlimited' (got ${JSON.stringify(body.completion_window ?? null)}).`);
	}
	// null is accepted as "no job ID", like the spec's nullable field.
	const checkedJobId = CreateBatchBodySchema.shape.job_id.safeParse(body.job_id ?? undefined);
	if (!checkedJobId.success) throw invalid('job_id', `${checkedJobId.error.issues[0].message}.`);
	const jobId = checkedJobId.data;
	if (jobId === undefined && state.options.requireJobId) {
		throw invalid('job_id', 'job_id is required: copy the job ID (job-...) from the Impala console.', 'missing_required_parameter');
	}
	let jobModel: string | undefined;
	if (jobId !== undefined && state.options.jobs) {
		jobModel = state.options.jobs[jobId];
		if (jobModel === undefined) throw invalid('job_id', `No job found with id '${jobId}'.`, 'job_not_found');
	}
	let metadata;
	if (body.metadata !== undefined && body.metadata !== null) {
		const checked = MetadataSchema.safeParse(body.metadata);
		if (!checked.success) throw invalid('metadata', `metadata is invalid: ${checked.error.issues[0].message}.`);
		metadata = checked.data;
	}
	let outputExpiresAfterSeconds: number = LIMITS.defaultFileExpirySeconds;
	if (body.output_expires_after !== undefined && body.output_expires_after !== null) {
		const checked = ExpiresAfterSchema.safeParse(body.output_expires_after);
		if (!checked.success) {
			const issue = checked.error.issues[0];
			throw invalid(['output_expires_after', ...issue.path].join('.'), `output_expires_after is invalid: ${issue.message}.`);
		}
		outputExpiresAfterSeconds = checked.data.seconds;
	}
	const input = state.files.get(inputFileId.data);
	if (!input) throw invalid('input_file_id', `No file found with id '${inputFileId.data}'.`, 'file_not_found');
	if (input.object.purpose !== 'batch') {
		throw invalid('input_file_id', `The file '${input.object.id}' has purpose '${input.object.purpose}'; batch input files need purpose 'batch'.`, 'invalid_file_purpose');
	}

	const record = state.batches.create({
		endpoint: endpoint.data,
		inputFileId: input.object.id,
		completionWindow: body.completion_window,
		jobId,
		jobModel,
		metadata,
		outputExpiresAfterSeconds,
	});
	state.lifecycle.started(record);
	sendJson(res, 200, viewOf(record));
};

function recordOf({ params, state }: RouteContext) {
	const record = state.batches.get(params[0]);
	if (!record) throw notFound('Batch', params[0]);
	return record;
}

export const getBatch: RouteHandler = async (ctx) => sendJson(ctx.res, 200, viewOf(recordOf(ctx)));

export const listBatches: RouteHandler = async ({ res, query, state }) => {
	const limit = intQuery(query, 'limit', LIMITS.batchListLimit.min, LIMITS.batchListLimit.max, LIMITS.batchListLimit.default);
	sendJson(res, 200, state.batches.list(query.get('after') || undefined, limit));
};

export const cancelBatch: RouteHandler = async (ctx) => {
	ctx.req.resume();
	if (!ctx.state.options.cancelSupported) {
		throw apiError(501, { message: 'Cancelling a batch is not implemented on this deployment.', type: 'not_implemented', code: 'not_implemented' });
	}
	const record = recordOf(ctx);
	const { status } = record.batch;
	if (isTerminalStatus(status) && status !== 'cancelled') {
		throw apiError(400, {
			message: `The batch '${record.batch.id}' is already ${status} and cannot be cancelled.`,
			param: 'batch_id',
			code: 'batch_not_cancellable',
		});
	}
	ctx.state.lifecycle.cancel(record);
	sendJson(ctx.res, 200, viewOf(record));
};
