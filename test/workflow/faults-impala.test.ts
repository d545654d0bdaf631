// The fault matrix (issue 9): every operation of the Impala node, run through n8n-core's engine against
// the emulator behind the chaos proxy, under each fault. A cell passes when the node either succeeds
// with data that matches the emulator (nothing lost, nothing doubled) or fails with an error whose text
// is true. `FAULT_TABLE=docs/fault-matrix.md node --import tsx --test test/workflow/faults-*.test.ts`
// rewrites the table in docs/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runMatrix, writeTableIfAsked, type CellResult } from './fixtures/faults/matrix';
import { OPERATIONS } from './fixtures/faults/operations';

let results: CellResult[] = [];

before(async () => {
	results = await runMatrix(OPERATIONS);
});

for (const operation of OPERATIONS) {
	test(`fault matrix: ${operation.name}`, { skip: Boolean(process.env.FAULT_ONLY) && !operation.name.includes(String(process.env.FAULT_ONLY)) }, () => {
		const cells = results.filter((cell) => cell.operation === operation.name);
		assert.ok(cells.length >= 20, `${cells.length} cells ran`);
		const wrong = cells.filter((cell) => cell.problem && !cell.knownFailing);
		assert.deepEqual(wrong.map((cell) => `${cell.fault}: ${cell.problem}`), [], `cells of ${operation.name} whose outcome is wrong`);
	});
}

after(() => writeTableIfAsked(results, 'impala'));
