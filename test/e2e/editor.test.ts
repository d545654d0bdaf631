import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { CHROMIUM_PATH } from './harness/editor';
import { tourEditor } from './harness/editorTour';

// The editor check needs Debian's Chromium (scripts/e2e/install-chromium.sh, run by `npm run test:e2e`).
const outDir = mkdtempSync(path.join(tmpdir(), 'impala-editor-'));
after(() => rmSync(outDir, { recursive: true, force: true }));

const EXPECTED_FIELDS: Record<string, string[]> = {
	'n8n-nodes-impala.impalaBatchBuilder': ['mode', 'source', 'endpoint', 'model', 'userMessage', 'customIdSource'],
	'n8n-nodes-impala.impala': ['resource', 'operation', 'batchId', 'waitForCompletion'],
	'n8n-nodes-impala.impalaBatchTrigger': ['statuses', 'scope', 'output'],
};

test('the n8n editor shows each of our nodes with its icon, name and fields, and finds them in the node creator', async () => {
	assert.ok(existsSync(CHROMIUM_PATH), `${CHROMIUM_PATH} is missing: run scripts/e2e/install-chromium.sh`);
	const tour = await tourEditor(outDir);

	assert.deepEqual(new Set(tour.nodes.map((node) => node.nodeType)), new Set(Object.keys(EXPECTED_FIELDS)));
	for (const node of tour.nodes) {
		assert.ok(node.icon.loaded, `${node.nodeName}: icon ${node.icon.src} was not drawn`);
		assert.match(node.icon.src, /^\/icons\/n8n-nodes-impala\//, `${node.nodeName}: the icon comes from our package`);
		for (const field of EXPECTED_FIELDS[node.nodeType]) {
			assert.ok(node.parameters.includes(field), `${node.nodeName}: field "${field}" not shown (shown: ${node.parameters.join(', ')})`);
		}
		assert.ok(statSync(path.join(outDir, node.file)).size > 10_000, `${node.file} looks empty`);
	}
	// Typing a CSV column template keeps the field a plain text field: no expression mode, no error preview.
	const builder = tour.nodes.find((node) => node.nodeType === 'n8n-nodes-impala.impalaBatchBuilder');
	assert.ok(builder?.typedTemplate, 'the template was typed into the Batch Builder');
	assert.equal(builder.typedTemplate.expressionFields, 0, `fields in expression mode after typing ${JSON.stringify(builder.typedTemplate.text)}`);
	assert.deepEqual(builder.typedTemplate.previews.filter((preview) => /error/i.test(preview)), []);
	// n8n lists the trigger without its "Trigger" suffix in the trigger panel.
	for (const name of ['Impala', 'Impala Batch Builder', 'Impala Batch']) {
		assert.ok(tour.creatorResults.includes(name), `node creator search "Impala" lists ${JSON.stringify(tour.creatorResults)}`);
	}
});
