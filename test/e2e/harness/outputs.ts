import type { N8nExecution } from './n8nInstance';

/** The JSON of the items a node produced in a CLI execution (last run, given output). */
export function itemsOf(execution: N8nExecution, nodeName: string, outputIndex = 0): Array<Record<string, unknown>> {
	const runs = execution.data.resultData.runData[nodeName];
	if (!runs?.length) {
		const error = execution.data.resultData.error;
		throw new Error(`Node "${nodeName}" did not run${error ? `: ${error.message}` : ''}`);
	}
	const last = runs[runs.length - 1];
	if (last.error) throw new Error(`Node "${nodeName}" failed: ${last.error.message}`);
	return (last.data?.main[outputIndex] ?? []).map((item) => item.json);
}

/** A readable reason when an execution did not succeed. */
export function failureOf(execution: N8nExecution): string {
	const error = execution.data.resultData.error;
	return `status ${execution.status}, last node ${execution.data.resultData.lastNodeExecuted}: ${error?.message ?? ''} ${error?.description ?? ''}`;
}
