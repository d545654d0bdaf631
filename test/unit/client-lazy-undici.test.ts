import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

it('undici is loaded on the first request, not when the nodes are loaded', async () => {
	const root = join(__dirname, '..', '..');
	const script = `
		const loaded = () => Object.keys(require.cache).some((path) => /node_modules[\\\\/]undici[\\\\/]/.test(path));
		require('./nodes/Impala/Impala.node.ts');
		require('./nodes/ImpalaBatchBuilder/ImpalaBatchBuilder.node.ts');
		require('./nodes/ImpalaBatchTrigger/ImpalaBatchTrigger.node.ts');
		const { ImpalaClient } = require('./src/client');
		const client = new ImpalaClient({ baseUrl: 'http://127.0.0.1:9', maxRetries: 0 });
		const before = loaded();
		client.batches.listPage().catch(() => undefined).then(() => console.log(JSON.stringify({ before, after: loaded() })));
	`;
	const { stdout } = await run(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root });
	assert.deepEqual(JSON.parse(stdout.trim().split('\n').pop() ?? '{}'), { before: false, after: true });
});
