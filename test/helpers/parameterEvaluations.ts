import type { TestContext } from 'node:test';
import { ExecuteContext } from 'n8n-core';

/** One call of n8n's getNodeParameter in a node's execution. */
export interface ParameterEvaluation {
	name: string;
	itemIndex: number;
}

/**
 * Records n8n's parameter evaluations in every node's execution until the test ends (the list can be
 * emptied between runs with `length = 0`).
 */
export function recordParameterEvaluations(t: TestContext): ParameterEvaluation[] {
	const evaluations: ParameterEvaluation[] = [];
	// n8n's getNodeParameter is an arrow made per context that calls `_getNodeParameter` (protected).
	const prototype = ExecuteContext.prototype as unknown as { _getNodeParameter: (...args: unknown[]) => unknown };
	const original = prototype._getNodeParameter;
	t.mock.method(prototype, '_getNodeParameter', function (this: unknown, ...args: unknown[]) {
		const [name, itemIndex] = args as [string, number];
		evaluations.push({ name, itemIndex });
		return original.apply(this, args);
	});
	return evaluations;
}
