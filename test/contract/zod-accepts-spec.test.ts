import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import {
	BatchSchema,
	BatchStatusSchema,
	BatchValidationErrorSchema,
	ErrorEnvelopeSchema,
	ExpiresAfterSchema,
	FILE_PURPOSES,
	FileDeletedSchema,
	FileObjectSchema,
	listEnvelopeSchema,
	LooseRequestLineSchema,
	RequestCountsSchema,
	UsageSchema,
	ValidationErrorEnvelopeSchema,
} from '../../src/schemas';
import { assertValid, componentSchema, spec } from './openapi';
import { examplesOf, sampleOf, type SampleMode } from './sampler';

/** The zod schema that reads each spec component (what we receive). */
const READERS: Record<string, z.ZodTypeAny> = {
	BatchStatus: BatchStatusSchema,
	RequestCountsModel: RequestCountsSchema,
	BatchErrorModel: BatchValidationErrorSchema,
	CompletionUsageModel: UsageSchema,
	FileExpirationModel: ExpiresAfterSchema,
	BatchModel: BatchSchema,
	ListBatchesResponse: listEnvelopeSchema(BatchSchema),
	FilePurpose: z.enum(FILE_PURPOSES),
	FileObjectModel: FileObjectSchema,
	ListFilesResponseModel: listEnvelopeSchema(FileObjectSchema),
	DeleteFileResponseModel: FileDeletedSchema,
	ErrorResponseModel: ErrorEnvelopeSchema,
	HTTPValidationError: ValidationErrorEnvelopeSchema,
	BatchRequestInputLine: LooseRequestLineSchema,
};

/**
 * Components without a reader of their own: they are read only inside a parent above (BatchErrorsModel,
 * ErrorDetail, ValidationError), or are what we send, checked by client-requests.test.ts with the
 * stricter CreateBatchBodySchema (CreateBatchRequestModel), or are query enums (FileListOrder).
 */
const NOT_READ_ALONE = new Set(['BatchErrorsModel', 'ErrorDetail', 'ValidationError', 'CreateBatchRequestModel', 'FileListOrder']);

/**
 * Named exception: HTTPValidationError's `detail` is optional in the spec (FastAPI's generated schema),
 * so `{}` is a valid minimal document. ValidationErrorEnvelopeSchema requires `detail` on purpose: it
 * tells the two error shapes apart, and a body without `detail` has nothing to read (the client then
 * reports the status and the raw body).
 */
const MINIMAL_NOT_READ = new Set(['HTTPValidationError']);

function assertReads(name: string, value: unknown, what: string) {
	assertValid(componentSchema(name), value, `${what} (self-check against the spec)`);
	const parsed = READERS[name].safeParse(value);
	assert.ok(parsed.success, `${what}: the zod reader refuses a document the spec allows: ${JSON.stringify(!parsed.success && parsed.error.issues)}\n${JSON.stringify(value)}`);
}

test('every component schema is either read by a zod schema or listed as not read alone', () => {
	for (const name of Object.keys(spec.components.schemas)) {
		assert.ok(name in READERS || NOT_READ_ALONE.has(name), `new component ${name}: map it to its zod reader in READERS`);
	}
});

for (const mode of ['minimal', 'maximal'] as SampleMode[]) {
	test(`the zod readers accept ${mode} documents generated from every component schema`, () => {
		for (const name of Object.keys(READERS)) {
			if (mode === 'minimal' && MINIMAL_NOT_READ.has(name)) {
				assert.equal(READERS[name].safeParse(sampleOf(spec.components.schemas[name], mode, name)).success, false, `${name}: the named exception still applies`);
				continue;
			}
			assertReads(name, sampleOf(spec.components.schemas[name], mode, name), `${mode} ${name}`);
		}
	});
}

test('the zod readers accept every example written on a component schema', (t) => {
	let count = 0;
	for (const name of Object.keys(READERS)) {
		for (const [i, example] of examplesOf(name).entries()) {
			assertReads(name, example, `${name} example ${i + 1}`);
			count++;
		}
	}
	t.diagnostic(`${count} component-level examples in the spec (property-level ones are in the maximal documents)`);
});

test('the zod readers accept every BatchStatus and FilePurpose value the spec lists', () => {
	for (const status of spec.components.schemas.BatchStatus.enum as string[]) {
		assertReads('BatchModel', { ...(sampleOf(spec.components.schemas.BatchModel, 'minimal') as object), status }, `batch ${status}`);
	}
	for (const purpose of spec.components.schemas.FilePurpose.enum as string[]) {
		assertReads('FileObjectModel', { ...(sampleOf(spec.components.schemas.FileObjectModel, 'minimal') as object), purpose }, `file ${purpose}`);
	}
});

/** Hand-built documents in the shapes of impala-api.md, all valid per the spec. */
const COMPLETED_BATCH = {
	id: 'batch-xyz789',
	object: 'batch',
	endpoint: '/v1/chat/completions',
	input_file_id: 'file-abc123',
	completion_window: 'unlimited',
	job_id: 'job-1a2b3c4d',
	status: 'completed',
	request_counts: { total: 3, completed: 2, failed: 1 },
	output_file_id: 'file-out1',
	error_file_id: '',
	errors: null,
	metadata: { team: 'search' },
	created_at: 1_767_225_600,
	in_progress_at: 1_767_225_610,
	finalizing_at: 1_767_225_700,
	completed_at: 1_767_225_710,
	failed_at: null,
	expires_at: 1_767_312_000,
	expired_at: null,
	cancelling_at: null,
	cancelled_at: null,
	model: 'impala-llama',
	price_1m_tokens: 0.35,
	processing_cost: 0.000042,
	usage: { prompt_tokens: 80.5, completion_tokens: 40.25, total_tokens: 120.75 },
};

const FAILED_BATCH = {
	...COMPLETED_BATCH,
	status: 'failed',
	output_file_id: null,
	error_file_id: null,
	completed_at: null,
	finalizing_at: null,
	in_progress_at: null,
	failed_at: 1_767_225_605,
	request_counts: { total: 0, completed: 0, failed: 0 },
	errors: {
		object: 'list',
		data: [
			{ code: 'duplicate_custom_id', line: 2, message: 'custom_id "a" appears twice.', param: 'custom_id' },
			{ code: 'empty_file', line: null, message: 'The file is empty.', param: null },
		],
	},
};

test('hand-built batches, files, lists and errors valid per the spec are read by the zod schemas', () => {
	assertReads('BatchModel', COMPLETED_BATCH, 'completed batch with float usage and error_file_id ""');
	assertReads('BatchModel', FAILED_BATCH, 'failed batch with errors');
	assertReads('ListBatchesResponse', { object: 'list', data: [COMPLETED_BATCH, FAILED_BATCH], first_id: COMPLETED_BATCH.id, last_id: FAILED_BATCH.id, has_more: true }, 'batch list');
	const file = { id: 'file-abc123', object: 'file', bytes: 120, created_at: 1_767_225_600, expires_at: null, filename: 'in.jsonl', purpose: 'batch' };
	assertReads('FileObjectModel', file, 'file');
	assertReads('ListFilesResponseModel', { data: [file], first_id: file.id, last_id: file.id, has_more: false }, 'file list without object');
	assertReads('DeleteFileResponseModel', { id: file.id, object: 'file', deleted: true }, 'deleted');
	assertReads('ErrorResponseModel', { error: { message: 'No batch found.', type: 'invalid_request_error' } }, 'error without param/code');
	assertReads('ErrorResponseModel', { error: { message: 'Bad.', type: 'invalid_request_error', param: 'job_id', code: 'job_not_found' } }, 'full error');
	assertReads('HTTPValidationError', { detail: [{ loc: ['body', 'messages', 0], msg: 'Field required', type: 'missing' }] }, '422 detail with an index in loc');
	assertReads('HTTPValidationError', { detail: [] }, '422 with empty detail');
});

test('lenient reading: a batch with unknown fields and without model/usage/price_1m_tokens/processing_cost parses, unknown fields kept', () => {
	const { model: _model, usage: _usage, price_1m_tokens: _price, processing_cost: _cost, ...older } = COMPLETED_BATCH;
	const withExtras = { ...older, region: 'eu-1', sla: { tier: 'gold' } };
	assertValid(componentSchema('BatchModel'), withExtras, 'older batch (the spec allows extra fields and lacks no required one)');
	const parsed = BatchSchema.parse(withExtras);
	assert.equal(parsed.model, undefined);
	assert.equal(parsed.usage, undefined);
	assert.deepEqual((parsed as Record<string, unknown>).sla, { tier: 'gold' });
	assert.equal((parsed as Record<string, unknown>).region, 'eu-1');
});

test('lenient reading beyond the spec: a status or purpose Impala may add later still parses', () => {
	const newStatus = { ...COMPLETED_BATCH, status: 'queued' };
	assert.equal(componentSchema('BatchModel')(newStatus), false, 'not in the spec today');
	assert.equal(BatchSchema.safeParse(newStatus).success, true);
	const newPurpose = { id: 'file-1', object: 'file', bytes: 1, created_at: 1, expires_at: null, filename: 'a', purpose: 'batch_errors' };
	assert.equal(componentSchema('FileObjectModel')(newPurpose), false, 'not in the spec today');
	assert.equal(FileObjectSchema.safeParse(newPurpose).success, true);
});
