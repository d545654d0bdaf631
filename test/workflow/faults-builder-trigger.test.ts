// The fault matrix (issue 9), second part: the Batch Builder (fault on its upload, fault on its create)
// and one poll of the Batch Trigger, under each fault, through n8n-core behind the chaos proxy. See
// faults-impala.test.ts for the rules of a cell and for how docs/fault-matrix.md is written.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runMatrix, writeTableIfAsked, type CellResult } from './fixtures/faults/matrix';
import { OTHER_OPERATIONS } from './fixtures/faults/otherNodes';

let results: CellResult[] = [];

before(async () => {
	results = await runMatrix(OTHER_OPERATIONS);
});

for (const operation of OTHER_OPERATIONS) {
	test(`fault matrix: ${operation.name}`, { skip: Boolean(process.env.FAULT_ONLY) && !operation.name.includes(String(process.env.FAULT_ONLY)) }, () => {
		const cells = results.filter((cell) => cell.operation === operation.name);
		assert.ok(cells.length >= 20, `${cells.length} cells ran`);
		const wrong = cells.filter((cell) => cell.problem && !cell.knownFailing);
		assert.deepEqual(wrong.map((cell) => `${cell.fault}: ${cell.problem}`), [], `cells of ${operation.name} whose outcome is wrong`);
	});
}

after(() => writeTableIfAsked(results, 'builder-trigger'));
