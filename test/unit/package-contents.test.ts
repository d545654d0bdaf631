import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { comparePacked, packedFiles } from '../../scripts/check-package/publishedFiles';

const root = path.resolve(__dirname, '../..');

// Needs `npm run build` first, like dist.test.ts. `npm run check:package` also runs n8n's scanner on it.
test('the tarball npm pack would publish holds only what the nodes and the credential load', () => {
	const packed = packedFiles(root);
	assert.ok(packed.includes('dist/nodes/Impala/Impala.node.js'), 'the tarball holds the compiled nodes');
	assert.ok(packed.includes('dist/nodes/Impala/Impala.node.json'), 'and their codex files');
	for (const file of packed) {
		assert.doesNotMatch(file, /(^|\/)(emulator|test|bench|scripts|docs|examples)\/|\.png$|\.map$|\.d\.ts$/, `${file} must not be published`);
	}
	assert.deepEqual(comparePacked(root, packed), { unexpected: [], missing: [] });
});
