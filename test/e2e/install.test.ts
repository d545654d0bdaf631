import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { documentedInstall, PACKAGE_NAME, type DocumentedInstallResult } from './harness/communityPackage';
import { cacheDir, n8nInstall, packageTarball } from './harness/install';

// The README's manual install (`npm init -y`, then `npm install <tarball>` in the user folder's
// `nodes` folder), run from scratch with npm on Node 20 (the oldest Node the package supports; this
// machine's node) and on the Node 24 that n8n runs on. The other e2e files load the Node 24 install
// into real n8n. n8n brings its own n8n-workflow: a second copy under `nodes` (npm installing the
// peer dependency) pulls in @n8n/expression-runtime and isolated-vm, a native build for Node >= 24.
const FORBIDDEN = ['n8n-workflow', 'isolated-vm', '@n8n/expression-runtime', 'n8n-core'];

const scratch = mkdtempSync(path.join(cacheDir, 'install-check-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function check(result: DocumentedInstallResult, nodesDir: string, expectedNode: RegExp): void {
	assert.match(result.node, expectedNode, 'npm ran on the intended Node');
	const names = result.packages.map((found) => found.name);
	for (const name of FORBIDDEN) {
		const copies = result.packages.filter((found) => found.name === name).map((found) => found.where);
		assert.deepEqual(copies, [], `${name} must not be installed with the package (found at ${copies.join(', ')})`);
	}
	const ours = result.packages.find((found) => found.name === PACKAGE_NAME);
	assert.ok(ours, `${PACKAGE_NAME} is installed`);
	assert.equal(ours.where, path.join('node_modules', PACKAGE_NAME));
	// Exactly the runtime dependencies the package declares and, transitively, what they declare (ajv brings
	// fast-deep-equal, fast-uri, json-schema-traverse and require-from-string; js-tiktoken brings base64-js).
	const where = new Map(result.packages.map((found) => [found.name, found.where]));
	const dependenciesOf = (location: string) => {
		const manifest = JSON.parse(readFileSync(path.join(nodesDir, location, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
		return Object.keys(manifest.dependencies ?? {});
	};
	const expected = new Set([PACKAGE_NAME]);
	const queue = dependenciesOf(ours.where);
	while (queue.length > 0) {
		const name = queue.shift()!;
		if (expected.has(name)) continue;
		expected.add(name);
		const location = where.get(name);
		assert.ok(location, `${name} is declared but not installed`);
		queue.push(...dependenciesOf(location));
	}
	assert.deepEqual(new Set(names), expected, `installed: ${names.join(', ')}`);
}

test('the README\'s manual install works on Node 24 (n8n\'s Node) and brings no second n8n-workflow', (t) => {
	const nodesDir = path.join(scratch, 'node24');
	const result = documentedInstall(packageTarball(), nodesDir, path.dirname(n8nInstall().nodeBin));
	t.diagnostic(`Node ${result.node}, npm ${result.npm}: ${result.packages.length} packages in ${(result.ms / 1000).toFixed(1)} s`);
	check(result, nodesDir, /^v24\./);
});

// The machine's own Node (Node 20 here and in CI: the oldest the README names).
test(`the README's manual install works on this machine's Node (${process.version}) and brings no second n8n-workflow`, (t) => {
	const nodesDir = path.join(scratch, 'system-node');
	const result = documentedInstall(packageTarball(), nodesDir, path.dirname(process.execPath));
	t.diagnostic(`Node ${result.node}, npm ${result.npm}: ${result.packages.length} packages in ${(result.ms / 1000).toFixed(1)} s`);
	check(result, nodesDir, new RegExp(`^${process.version.replace(/\./g, '\\.')}$`));
});
