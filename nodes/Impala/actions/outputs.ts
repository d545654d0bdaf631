import type { INodeOutputConfiguration, INodeParameters } from 'n8n-workflow';

/**
 * The node's outputs for its parameters: Get Results with "Separate Outputs for Failures" has two,
 * every other operation one. Evaluated by n8n as an expression, so it must not use anything from outside.
 */
export function configuredOutputs(parameters: INodeParameters): INodeOutputConfiguration[] {
	const options = (parameters.options ?? {}) as { separateOutputs?: boolean };
	const separate = parameters.resource === 'batch' && parameters.operation === 'getResults' && options.separateOutputs === true;
	if (!separate) return [{ type: 'main' }];
	return [
		{ type: 'main', displayName: 'Succeeded' },
		{ type: 'main', displayName: 'Failed or Missing' },
	];
}
