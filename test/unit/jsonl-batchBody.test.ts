import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
	BuildProblemsError,
	GROUP_ID_KEY,
	PART_KEY,
	assertValidBatchSettings,
	createBatchBody,
	type BatchSettings,
} from '../../src/jsonl';
import { CreateBatchBodySchema, LIMITS } from '../../src/schemas';

const plain: BatchSettings = { completionWindow: '24h', metadata: {}, repeatedKeys: [] };

function pairs(count: number): Record<string, string> {
	return Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, `v${i}`]));
}

/** The description lines of the BuildProblemsError `run` throws. */
function problemLines(run: () => void): string[] {
	let caught: unknown;
	try {
		run();
	} catch (error) {
		caught = error;
	}
	assert.ok(caught instanceof BuildProblemsError, `expected a BuildProblemsError, got ${String(caught)}`);
	assert.equal(caught.message, 'The batch options are not valid; nothing was uploaded');
	assert.equal(caught.total, caught.problems.length);
	return caught.description.split('\n');
}

test('createBatchBody leaves out job_id, metadata and output_expires_after when they are not set', () => {
	const body = createBatchBody(plain, '/v1/embeddings', 'file-1');
	assert.deepEqual(body, { input_file_id: 'file-1', endpoint: '/v1/embeddings', completion_window: '24h' });
	assert.equal(CreateBatchBodySchema.safeParse(body).success, true);
});

test('createBatchBody carries every setting, and a split part gets the group id and i/n on top of the user metadata', () => {
	const settings: BatchSettings = {
		jobId: 'job-7',
		completionWindow: 'unlimited',
		metadata: { team: 'ops' },
		outputExpiresAfter: { anchor: 'created_at', seconds: 7_200 },
		repeatedKeys: [],
	};
	const body = createBatchBody(settings, '/v1/chat/completions', 'file-9', { id: 'grp-x', part: 2, parts: 3 });
	assert.deepEqual(body, {
		input_file_id: 'file-9',
		endpoint: '/v1/chat/completions',
		completion_window: 'unlimited',
		job_id: 'job-7',
		metadata: { team: 'ops', [GROUP_ID_KEY]: 'grp-x', [PART_KEY]: '2/3' },
		output_expires_after: { anchor: 'created_at', seconds: 7_200 },
	});
	// The settings themselves are not changed by a part's metadata.
	assert.deepEqual(settings.metadata, { team: 'ops' });
	assert.deepEqual(createBatchBody(settings, '/v1/chat/completions', 'file-9').metadata, { team: 'ops' });
});

test('assertValidBatchSettings accepts the most metadata one batch allows, with and without a split that leaves room', () => {
	assert.doesNotThrow(() =>
		assertValidBatchSettings({ ...plain, metadata: pairs(LIMITS.metadata.maxPairs) }, '/v1/responses'),
	);
	assert.doesNotThrow(() =>
		assertValidBatchSettings({ ...plain, metadata: pairs(LIMITS.metadata.maxPairs - 2) }, '/v1/responses', {
			id: 'grp-1',
			parts: 4,
		}),
	);
});

test('assertValidBatchSettings counts the two split keys against the metadata limit', () => {
	const lines = problemLines(() =>
		assertValidBatchSettings({ ...plain, metadata: pairs(LIMITS.metadata.maxPairs - 1) }, '/v1/responses', {
			id: 'grp-1',
			parts: 2,
		}),
	);
	assert.deepEqual(lines, [
		`Batch Options, Metadata: Metadata can have at most ${LIMITS.metadata.maxPairs} key/value pairs. ` +
			`Impala accepts at most ${LIMITS.metadata.maxPairs} metadata pairs (2 fewer when splitting: the node adds ${GROUP_ID_KEY} and ${PART_KEY}), ` +
			`keys of 1 to ${LIMITS.metadata.maxKeyLength} characters and values of at most ${LIMITS.metadata.maxValueLength} characters. Shorten or remove pairs.`,
	]);
});

test('assertValidBatchSettings lists every problem at once: repeated keys, the split keys, a long value, a bad expiry', () => {
	const long = 'x'.repeat(LIMITS.metadata.maxValueLength + 1);
	const lines = problemLines(() =>
		assertValidBatchSettings(
			{
				completionWindow: '24h',
				metadata: { [GROUP_ID_KEY]: 'mine', [PART_KEY]: 'mine', note: long },
				outputExpiresAfter: { anchor: 'created_at', seconds: 60 },
				repeatedKeys: ['team'],
			},
			'/v1/completions',
			{ id: 'grp-2', parts: 3 },
		),
	);
	assert.equal(lines.length, 5);
	assert.equal(lines[0], 'Batch Options, Metadata: has the key "team" more than once. Give each key once.');
	assert.equal(
		lines[1],
		`Batch Options, Metadata: uses the key "${GROUP_ID_KEY}", which the node sets itself when it splits the rows. Rename that key.`,
	);
	assert.equal(
		lines[2],
		`Batch Options, Metadata: uses the key "${PART_KEY}", which the node sets itself when it splits the rows. Rename that key.`,
	);
	assert.match(
		lines[3],
		new RegExp(`^Batch Options, Metadata \\(key "note"\\): Metadata values can have at most ${LIMITS.metadata.maxValueLength} characters\\. Impala accepts at most `),
	);
	assert.equal(
		lines[4],
		`Batch Options, Output Expires After (Hours): Expiry must be at least ${LIMITS.expirySeconds.min} seconds (1 hour). Use 1 to 720 hours, or 0 for the default.`,
	);
});

test('assertValidBatchSettings allows the split keys as user metadata when the rows are not split', () => {
	assert.doesNotThrow(() =>
		assertValidBatchSettings({ ...plain, metadata: { [GROUP_ID_KEY]: 'mine', [PART_KEY]: '1' } }, '/v1/embeddings'),
	);
});

test('assertValidBatchSettings names the Completion Window field when it is empty', () => {
	const lines = problemLines(() => assertValidBatchSettings({ ...plain, completionWindow: '' }, '/v1/embeddings'));
	assert.equal(lines.length, 1);
	assert.match(lines[0], /^Batch Options, Completion Window: .+\.$/);
});
