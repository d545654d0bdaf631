import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { fastCustomId, isOutputLine, joinResults, type JoinParams, type ResultRow } from '../../src/results';
import { OutputLineSchema } from '../../src/schemas';

const fast = (line: string) => {
	const bytes = Buffer.from(line, 'utf8');
	return fastCustomId(bytes, 0, bytes.length);
};
const parsedId = (line: string) => (JSON.parse(line) as { custom_id?: unknown }).custom_id;

/** Lines in the usual shapes: read fast, and exactly as JSON.parse reads them. */
const USUAL = [
	'{"custom_id":"row-1","method":"POST","url":"/v1/chat/completions","body":{"model":"m"}}',
	'{"custom_id":"日本語 😀 é","body":{}}',
	'{ "custom_id" : "spaced" , "body" : {} }  ',
	'{"id":"batch_req_1","custom_id":"out-1","response":{"status_code":200},"error":null}',
	'{"id": null, "custom_id": "python-style", "response": null, "error": {"message": "x"}}',
	'{"custom_id":"","body":{}}',
	'{"custom_id":"a_b_c","body":{"text":"snake_case and request_id and \\"quoted\\" words"}}',
	'{"custom_id":"last"}',
];

/** Lines the scan must leave to JSON.parse: escapes, other key orders, a second custom_id key, other values. */
const UNUSUAL = [
	'{"custom_id":"with \\"quote\\"","body":{}}',
	'{"custom_id":"\\u00e9t\\u00e9","body":{}}',
	'{"custom_id":"back\\\\slash","body":{}}',
	'{"method":"POST","custom_id":"second-key","body":{}}',
	'{"body":{},"custom_id":"last-key"}',
	'{"custom_id":"first","body":{},"custom_id":"second"}',
	'{"custom_id":"outer","body":{"metadata":{"custom_id":"inner"}}}',
	'{"id":7,"custom_id":"numeric-id","response":null}',
	'{"id":"x\\"y","custom_id":"escaped-id","response":null}',
	'{"custom_id":5,"body":{}}',
	'{"custom_id":null}',
	'{"custom_idx":"a","custom_id":"b"}',
];

test('custom_id fast scan: usual lines are read without parsing, and as JSON.parse reads them', () => {
	for (const line of USUAL) assert.equal(fast(line), parsedId(line), line);
});

test('custom_id fast scan: escapes, other key orders and repeated keys are left to JSON.parse', () => {
	for (const line of UNUSUAL) assert.equal(fast(line), undefined, line);
});

test('custom_id fast scan: never differs from JSON.parse on generated lines', () => {
	const pieces = ['"', '\\"', '\\\\', '\\u0041', '_', 'custom_id', '"custom_id"', ':', ',', ' ', '{', '}', 'é', '😀', 'x', 'id'];
	let random = 7;
	const next = (n: number) => {
		random = (random * 1103515245 + 12345) % 2 ** 31;
		return random % n;
	};
	const text = () => Array.from({ length: next(6) }, () => pieces[next(pieces.length)]).join('');
	let fastOnes = 0;
	for (let i = 0; i < 5000; i++) {
		const id = text();
		const body = text();
		const candidates = [
			`{"custom_id":"${id}","body":{"t":"${body}"}}`,
			`{"id":"${body}","custom_id":"${id}","response":null}`,
			`{"custom_id":"${id}"${body}}`,
		];
		for (const line of candidates) {
			let parsed: unknown;
			try {
				parsed = parsedId(line);
			} catch {
				// Not JSON: the scan does not check what follows the ID (an input file Impala accepted is JSON;
				// output lines are parsed in full when their row is built).
				continue;
			}
			const read = fast(line);
			if (read !== undefined) {
				fastOnes++;
				assert.equal(read, parsed, line);
			}
		}
	}
	assert.ok(fastOnes > 1000, `most generated lines take the fast path (${fastOnes})`);
});

test('the join reads the custom_id of every input line as JSON.parse does', async () => {
	const ids = ['plain', 'with "quote"', 'été', 'key-order', 'repeated'];
	const inputLines = [
		'{"custom_id":"plain","url":"/v1/completions","body":{}}',
		'{"custom_id":"with \\"quote\\"","url":"/v1/completions","body":{}}',
		'{"custom_id":"\\u00e9t\\u00e9","url":"/v1/completions","body":{}}',
		'{"body":{},"url":"/v1/completions","custom_id":"key-order"}',
		'{"custom_id":"decoy","url":"/v1/completions","body":{},"custom_id":"repeated"}',
	];
	const answer = (id: string) => JSON.stringify({ custom_id: id, response: { status_code: 200, body: { choices: [{ text: `A ${id}` }] } }, error: null });
	const params: JoinParams = {
		endpoint: '/v1/completions',
		batchStatus: 'completed',
		results: [{ file: { role: 'output file', fileId: 'out' }, open: async () => Readable.from([Buffer.from([...ids].reverse().map(answer).join('\n'))]) }],
		input: { file: { role: 'input file', fileId: 'in' }, open: async () => Readable.from([Buffer.from(inputLines.join('\n'))]) },
	};
	const rows: ResultRow[] = [];
	for await (const row of joinResults(params)) rows.push(row);
	assert.deepEqual(
		rows.map((row) => [row.custom_id, row.status, row.answer, row.not_in_input]),
		ids.map((id) => [id, 'succeeded', `A ${id}`, undefined]),
	);
});

test('the fast output-line check and the zod schema agree on a generated corpus', () => {
	const VALUES: unknown[] = [undefined, null, '', 'text', 0, 200, 404, -1.5, true, false, [], [1], {}, { a: 1 }];
	const pick = <T>(list: readonly T[], n: number) => list[n % list.length];
	const responses = [...VALUES, { status_code: 200 }, { status_code: 500, body: { error: { message: 'x' } } }, { status_code: '200' }, { body: {} }, { status_code: 200, request_id: 'r' }, { status_code: 200, request_id: 5 }, { status_code: 200, request_id: null, extra: [1] }];
	const errors = [...VALUES, { message: 'x' }, { code: 'c', message: null, type: 't', param: 'p' }, { code: 429 }, { code: true }, { message: 5 }, { type: [] }, { param: {} }, { extra: 1 }];
	const customIds = [...VALUES, 'row-1'];
	const ids = [...VALUES, 'batch_req_1'];
	let checked = 0;
	let valid = 0;
	for (let c = 0; c < customIds.length; c++) {
		for (let r = 0; r < responses.length; r++) {
			for (let e = 0; e < errors.length; e++) {
				const line: Record<string, unknown> = { custom_id: customIds[c], response: responses[r], error: errors[e], id: pick(ids, c + r + e) };
				// Leave keys out as well as setting them to undefined (JSON has no undefined, but zod sees both).
				for (const key of Object.keys(line)) if (line[key] === undefined && (c + r + e) % 2 === 0) delete line[key];
				const zodSays = OutputLineSchema.safeParse(line).success;
				assert.equal(isOutputLine(line), zodSays, JSON.stringify(line));
				checked++;
				if (zodSays) valid++;
			}
		}
	}
	for (const top of VALUES) assert.equal(isOutputLine(top), OutputLineSchema.safeParse(top).success, `top-level ${JSON.stringify(top)}`);
	assert.ok(checked > 5000 && valid > 50 && checked - valid > 1000, `${checked} lines, ${valid} valid`);
});
