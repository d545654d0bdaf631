import type { INodeOutputConfiguration, INodeParameters } from 'n8n-workflow';

/**
 * The node's outputs for its parameters: Get Results with "Separate Outputs for Failures" has two
 * (succeeded; failed, missing or invalid), and "Include Summary" adds a last one (Summary); every other
 * operation has one. Evaluated by n8n as an expression, so it must not use anything from outside.
 */
export function configuredOutputs(parameters: INodeParameters): INodeOutputConfiguration[] {
	const options = (parameters.options ?? {}) as { separateOutputs?: boolean; includeSummary?: boolean };
	const getResults = parameters.resource === 'batch' && parameters.operation === 'getResults';
	const separate = getResults && options.separateOutputs === true;
	const summary = getResults && options.includeSummary === true;
	if (!separate && !summary) return [{ type: 'main' }];
	const results: INodeOutputConfiguration[] = separate
		? [
				{ type: 'main', displayName: 'Succeeded' },
				{ type: 'main', displayName: 'Failed, Missing or Invalid' },
			]
		: [{ type: 'main', displayName: 'Results' }];
	return summary ? results.concat([{ type: 'main', displayName: 'Summary' }]) : results;
}
