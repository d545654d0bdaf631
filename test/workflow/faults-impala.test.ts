// The fault matrix (issue 9): every operation of the Impala node, run through n8n-core's engine against
// the emulator behind the chaos proxy, under each fault. A cell passes when the node either succeeds
// with data that matches the emulator (nothing lost, nothing doubled) or fails with an error whose text
// is true. `FAULT_TABLE=docs/fault-matrix.md npm test` (or this file alone) rewrites the table in docs/.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { FAULT_OPERATIONS_SETTINGS, renderTable, runCell, type CellResult } from './fixtures/faults/matrix';
import { OPERATIONS } from './fixtures/faults/operations';

const results: CellResult[] = [];

for (const operation of OPERATIONS) {
	test(`fault matrix: ${operation.name}`, async () => {
		const cells = await runCells(operation.name, FAULT_OPERATIONS_SETTINGS.faultsFor(operation));
		results.push(...cells);
		const wrong = cells.filter((cell) => cell.problem && !cell.knownFailing);
		assert.deepEqual(
			wrong.map((cell) => `${cell.fault}: ${cell.problem}`),
			[],
			`cells of ${operation.name} whose outcome is wrong`,
		);
	});
}

async function runCells(operationName: string, faults: ReturnType<typeof FAULT_OPERATIONS_SETTINGS.faultsFor>) {
	const operation = OPERATIONS.find((op) => op.name === operationName)!;
	const out: CellResult[] = [];
	let next = 0;
	const worker = async () => {
		while (next < faults.length) {
			const fault = faults[next++];
			out.push(await runCell(operation, fault));
		}
	};
	await Promise.all(Array.from({ length: FAULT_OPERATIONS_SETTINGS.concurrency }, worker));
	return out;
}

after(async () => {
	const target = process.env.FAULT_TABLE;
	if (target) await renderTable(target, results);
});
