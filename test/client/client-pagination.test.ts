import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chatLine, useSuiteEmulator } from '../helpers/emulator';
import { clientFor } from './client-helpers';

describe('ImpalaClient: list pagination against the emulator', () => {
	const emu = useSuiteEmulator({ pace: 'manual' });

	it('follows has_more/last_id across several pages of batches, newest first, and stops early on break', async () => {
		const client = clientFor(emu());
		const file = await client.files.upload({ file: Buffer.from(chatLine('a', 'x')), filename: 'p.jsonl' });
		const created: string[] = [];
		for (let i = 0; i < 7; i++) {
			created.push((await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions' })).id);
		}
		const seen: string[] = [];
		for await (const batch of client.batches.list({ limit: 3 })) seen.push(batch.id);
		assert.equal(seen.length, 7);
		assert.equal(new Set(seen).size, 7, 'no batch twice');
		assert.deepEqual(seen, [...created].reverse(), 'newest first');

		const listPaths = emu().requests.filter((r) => r.method === 'GET' && r.path === '/v1/batches').map((r) => `${r.path}${r.query}`);
		assert.ok(listPaths.length >= 3, `several pages were fetched: ${listPaths.join(', ')}`);
		assert.ok(listPaths.some((p) => p.includes('after=')), 'later pages pass after=');

		const before = emu().requests.length;
		const firstTwo: string[] = [];
		for await (const batch of client.batches.list({ limit: 2 })) {
			firstTwo.push(batch.id);
			if (firstTwo.length === 2) break;
		}
		assert.equal(emu().requests.length - before, 1, 'breaking early fetches no more pages');
		assert.deepEqual(firstTwo, seen.slice(0, 2));

		const page = await client.batches.listPage({ limit: 3, after: seen[2] });
		assert.deepEqual(page.data.map((b) => b.id), seen.slice(3, 6));
		assert.equal(page.has_more, true);
	});

	it('pages through files with order, purpose filter and a small limit', async () => {
		const client = clientFor(emu());
		const ids: string[] = [];
		for (let i = 0; i < 5; i++) {
			ids.push((await client.files.upload({ file: Buffer.from(chatLine('a', String(i))), filename: `f${i}.jsonl`, purpose: 'user_data' })).id);
		}
		const listed: string[] = [];
		for await (const f of client.files.list({ purpose: 'user_data', order: 'asc', limit: 2 })) {
			assert.equal(f.purpose, 'user_data');
			listed.push(f.id);
		}
		assert.deepEqual(listed, ids);
	});
});
