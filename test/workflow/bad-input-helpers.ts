import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IRun, IWorkflowBase } from 'n8n-workflow';
import type { Emulator } from '../helpers/emulator';
import { nodeError, nodeOutput, runWorkflow } from '../helpers/workflow';
import { BUILDER } from './fixtures/builder/workflows';

/** A Builder run against the emulator, with the requests it sent (only this run's). */
export interface BuilderRun {
	run: IRun;
	sent: Emulator['requests'];
}

export async function runBuilder(emu: Emulator, workflow: Pick<IWorkflowBase, 'nodes' | 'connections'>): Promise<BuilderRun> {
	const before = emu.requests.length;
	const run = await runWorkflow(workflow, { credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } } });
	return { run, sent: emu.requests.slice(before) };
}

export interface Refusal {
	/** The error's message (the headline). */
	message: string;
	/** The description's lines: each names the row or item and the field, the cause and the fix. */
	lines: string[];
	/** The n8n item the error points at, when exactly one is at fault. */
	itemIndex?: number;
}

/** The Builder failed with exactly this error, and nothing reached the emulator. */
export function assertRefused(result: BuilderRun, expected: Refusal): void {
	const error = nodeError(result.run, BUILDER);
	assert.ok(error, 'the Builder should fail');
	assert.deepEqual(
		result.sent.map((r) => `${r.method} ${r.path}`),
		[],
		'no request may reach the emulator',
	);
	assert.equal(error.message, expected.message);
	assert.deepEqual(String((error as { description?: unknown }).description).split('\n'), expected.lines);
	if (expected.itemIndex !== undefined) {
		assert.equal((error as { context?: { itemIndex?: number } }).context?.itemIndex, expected.itemIndex);
	}
}

/** The Builder created one batch (the control: the same workflow with a good value reaches the emulator). */
export function assertCreated(result: BuilderRun): { batchId: string; inputFileId: string } {
	const [item] = nodeOutput(result.run, BUILDER);
	assert.equal(item.json.object, 'batch', JSON.stringify(item.json));
	assert.ok(result.sent.some((r) => r.method === 'POST' && r.path === '/v1/batches'), 'the create reached the emulator');
	return { batchId: String(item.json.id), inputFileId: String(item.json.input_file_id) };
}

/** "Found 2 problems in the input; nothing was uploaded". */
export function found(problems: number): string {
	return `Found ${problems} problem${problems === 1 ? '' : 's'} in the input; nothing was uploaded`;
}

/** Writes `text` to a fresh temp file `rows.csv` and returns its path. */
export function csvFile(text: string): string {
	const file = path.join(mkdtempSync(path.join(tmpdir(), 'bad-input-')), 'rows.csv');
	writeFileSync(file, text);
	return file;
}
