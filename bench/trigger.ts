/**
 * Batch Trigger: API calls per poll against a list of 5,000 batches, counted in the emulator's request log,
 * through n8n-core's real PollContext. Three changes per poll (a new batch, a batch near the top
 * finishing, and in the last round a watched batch 5,000 deep finishing) must cost at most 3 calls, and
 * every watched batch's completion must fire exactly once. Also: the one-time catch-up after 5,000 new
 * batches, 600 batches running at once (listing beats fetching), and the state size at 10,000 watched.
 * Run: node --import tsx bench/trigger.ts   (or `npm run bench -- trigger`)
 */
import { ImpalaClient } from '../src/client';
import { startEmulator, type Emulator } from '../src/emulator';
import type { Batch } from '../src/schemas';
import { BatchTracker, encodeState, MAX_WATCHED } from '../src/trigger';
import { chatLine } from '../test/helpers/emulator';
import { Poller } from '../test/helpers/poll';
import { runBench } from './shared';

const PAGE = 100;
const STATUSES = ['completed', 'failed', 'expired', 'cancelled'];

async function counted(emu: Emulator, poller: Poller) {
	const start = emu.requests.length;
	const outcome = await poller.poll();
	if (outcome.error) throw outcome.error;
	const requests = emu.requests.slice(start).filter((r) => r.method === 'GET' && r.path.startsWith('/v1/batches'));
	return {
		events: outcome.items.map((i) => `${i.json.id as string}:${i.json.event_status as string}`),
		calls: requests.length,
		lists: requests.filter((r) => r.path === '/v1/batches').length,
		gets: requests.filter((r) => r.path !== '/v1/batches').length,
	};
}

async function deepScenario() {
	const emu = await startEmulator({ pace: 'manual' });
	try {
		const client = new ImpalaClient({ baseUrl: emu.url });
		const file = await client.files.upload({ file: Buffer.from(chatLine('row-1', 'question')), filename: 'input.jsonl' });
		const credentials = { impalaApi: { baseUrl: emu.url, apiKey: '' } };
		const poller = new Poller({ parameters: { statuses: STATUSES }, credentials });
		await counted(emu, poller); // activation

		// After activation: a batch that keeps running, then 5,000 that finish above it (30 s apart).
		const now = Math.floor(Date.now() / 1000);
		const base = now - 600 - 5001 * 30;
		const [deep] = emu.seedBatches(1, { inputFileId: file.id, createdAt: () => base });
		emu.seedBatches(5000, { status: 'completed', createdAt: (i) => base + 30 * (i + 1) });
		const catchUp = await counted(emu, poller);

		const fired: string[] = [...catchUp.events];
		const watchedEnds: string[] = [`${deep.id}:completed`];
		const rounds: Array<{ changes: string; calls: number; lists: number; gets: number }> = [];
		let previous: Batch | undefined;
		for (let round = 0; round < 3; round++) {
			const created = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions' });
			watchedEnds.push(`${created.id}:completed`);
			const changes = ['1 new batch'];
			if (previous) {
				await emu.advance(previous.id, 3);
				changes.push('1 watched batch near the top completed');
			}
			if (round === 2) {
				await emu.advance(deep.id, 3);
				changes.push('the watched batch 5,000 deep completed');
			}
			previous = created;
			const poll = await counted(emu, poller);
			fired.push(...poll.events);
			rounds.push({ changes: changes.join(', '), calls: poll.calls, lists: poll.lists, gets: poll.gets });
		}
		await emu.advance(previous!.id, 3);
		const last = await counted(emu, poller);
		fired.push(...last.events);
		const idle = await counted(emu, poller);

		const firedOnce = watchedEnds.filter((event) => fired.filter((e) => e === event).length === 1);
		return {
			batchesInList: 5000 + 1 + 3,
			catchUpAfter5001NewBatches: { calls: catchUp.calls, bound: Math.ceil(5001 / PAGE) + 1, events: catchUp.events.length },
			pollsWith3OrFewerChanges: rounds,
			maxCallsPerPollWithChanges: Math.max(...rounds.map((r) => r.calls)),
			listingDownToTheDeepBatchWouldCost: Math.ceil(5002 / PAGE),
			idlePoll: { calls: idle.calls },
			watchedCompletions: watchedEnds.length,
			watchedCompletionsFiredOnce: firedOnce.length,
			duplicates: fired.length - new Set(fired).size,
		};
	} finally {
		await emu.close();
	}
}

async function manyRunningScenario() {
	const emu = await startEmulator({ pace: 'manual' });
	try {
		const client = new ImpalaClient({ baseUrl: emu.url });
		const file = await client.files.upload({ file: Buffer.from(chatLine('row-1', 'question')), filename: 'input.jsonl' });
		const credentials = { impalaApi: { baseUrl: emu.url, apiKey: '' } };
		const now = Math.floor(Date.now() / 1000);
		const running = emu.seedBatches(600, { inputFileId: file.id, createdAt: (i) => now - 3600 - (600 - i) * 1800 });
		const poller = new Poller({ parameters: { statuses: STATUSES }, credentials });
		const activation = await counted(emu, poller);
		for (const b of running.slice(0, 3)) await emu.advance(b.id, 3);
		const poll = await counted(emu, poller);
		return {
			runningBeforeActivation: 600,
			activationCalls: activation.calls,
			pollWith3CompletionsCalls: poll.calls,
			listPages: poll.lists,
			directFetches: poll.gets,
			fired: poll.events.length,
			fetchingEachWouldCost: 600,
		};
	} finally {
		await emu.close();
	}
}

function stateSize() {
	const tracker = new BatchTracker(undefined, 'all', { statuses: STATUSES, includeExisting: false });
	const now = Math.floor(Date.now() / 1000);
	for (let i = 0; i < MAX_WATCHED; i++) {
		// IDs as the emulator makes them: "batch-" and 24 hex digits.
		tracker.observe({ id: `batch-${i.toString(16).padStart(24, '0')}`, status: i % 3 ? 'in_progress' : 'validating', created_at: now - i * 60 }, true, i);
	}
	const { state, dropped } = tracker.nextState();
	const bytes = JSON.stringify(encodeState(state)).length;
	return { watched: state.watched.size, dropped: dropped.length, jsonBytes: bytes, bytesPerBatch: Math.round((bytes / state.watched.size) * 10) / 10 };
}

async function main() {
	const deep = await deepScenario();
	const many = await manyRunningScenario();
	const state = stateSize();
	process.stdout.write(`${JSON.stringify({ deepWatchedBatch: deep, manyRunning: many, stateAt10000Watched: state }, null, 2)}\n`);
	const problems: string[] = [];
	if (deep.maxCallsPerPollWithChanges > 3) problems.push(`a poll with 3 changes made ${deep.maxCallsPerPollWithChanges} calls (at most 3)`);
	if (deep.watchedCompletionsFiredOnce !== deep.watchedCompletions) problems.push('a watched batch did not fire its completion exactly once');
	if (deep.duplicates > 0) problems.push(`${deep.duplicates} events fired twice`);
	if (many.fired !== 3) problems.push(`600 running: ${many.fired} events instead of 3`);
	if (state.dropped > 0 || state.watched !== MAX_WATCHED) problems.push('the watch list did not hold 10,000 batches');
	if (problems.length > 0) throw new Error(problems.join('; '));
	process.stdout.write(
		`calls per poll with up to 3 changes (5,000 batches, one watched 5,000 deep): ${deep.pollsWith3OrFewerChanges.map((r) => r.calls).join(', ')} ` +
			`(listing down to it: ${deep.listingDownToTheDeepBatchWouldCost}); state at ${MAX_WATCHED} watched: ${state.jsonBytes} bytes of JSON\n`,
	);
}

runBench(main);
