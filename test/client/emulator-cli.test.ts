import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { optionsFromArgs } from '../../src/emulator/cli';

const ROOT = resolve(__dirname, '../..');

test('CLI flags map to emulator options', () => {
	assert.deepEqual(
		optionsFromArgs(['--port', '0', '--api-key', 'k', '--require-job-id', '--no-cancel', '--job', 'job-1=m1', '--job', 'job-2=m2', '--step-ms', '10', '--requests-per-step', '3', '--failing-model', 'bad']),
		{
			port: 0,
			host: undefined,
			dataDir: undefined,
			apiKey: 'k',
			requireJobId: true,
			cancelSupported: false,
			failingModel: 'bad',
			jobs: { 'job-1': 'm1', 'job-2': 'm2' },
			pace: { stepMs: 10, requestsPerStep: 3 },
		},
	);
	const withFaults = optionsFromArgs(['--answer-fault', 'breakSchema:every=4', '--answer-fault', 'fail:id=row-1*']);
	assert.ok(withFaults !== 'help');
	assert.deepEqual(withFaults.answerFaults, [
		{ answer: 'breakSchema', every: 4, inRetries: false },
		{ answer: 'fail', customId: 'row-1*', inRetries: false },
	]);
	assert.throws(() => optionsFromArgs(['--answer-fault', 'boom']), /--answer-fault must look like/);
	assert.equal(optionsFromArgs(['--help']), 'help');
	assert.throws(() => optionsFromArgs(['--port', 'x']), /--port must be a whole number/);
	assert.throws(() => optionsFromArgs(['--job', 'nomodel']), /--job must look like/);
	assert.throws(() => optionsFromArgs(['--bogus']));
});

test('npm run emulator: serves on 127.0.0.1, prints its URL, stops cleanly on SIGTERM', async () => {
	const child = spawn(process.execPath, ['--import', 'tsx', 'src/emulator/cli.ts', '--port', '0', '--api-key', 'cli-key'], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	try {
		let output = '';
		const url = await new Promise<string>((resolveUrl, reject) => {
			child.stdout.on('data', (chunk: Buffer) => {
				output += chunk.toString();
				const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
				if (match) resolveUrl(match[1]);
			});
			child.once('exit', (code) => reject(new Error(`the CLI exited (${code}) before listening: ${output}`)));
		});
		assert.equal((await fetch(`${url}/health`)).status, 200);
		assert.equal((await fetch(`${url}/v1/batches`)).status, 401);
		assert.equal((await fetch(`${url}/v1/batches`, { headers: { authorization: 'Bearer cli-key' } })).status, 200);
		const exited = once(child, 'exit');
		child.kill('SIGTERM');
		const [code] = await exited;
		assert.equal(code, 0);
	} finally {
		if (child.exitCode === null) child.kill('SIGKILL');
	}
});
