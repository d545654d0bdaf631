import type { IExecuteFunctions, INodeParameters, NodeParameterValueType } from 'n8n-workflow';

/**
 * The node's parameters as saved, to tell a fixed value from an expression without evaluating it:
 * n8n's `getNodeParameter` costs tens of microseconds per call, so a value that is the same for
 * every item is read once for the node, not once per item.
 */
export class NodeParameters {
	private readonly raw: INodeParameters;

	constructor(ctx: IExecuteFunctions) {
		this.raw = ctx.getNode().parameters;
	}

	/** The saved value of `path` (e.g. "options.maxTokens"); undefined when the default applies. */
	saved(path: string): NodeParameterValueType | undefined {
		let value: unknown = this.raw;
		for (const key of path.split('.')) {
			if (typeof value !== 'object' || value === null) return undefined;
			value = (value as Record<string, unknown>)[key];
		}
		return value as NodeParameterValueType | undefined;
	}

	/** True when the value (or anything inside it) is an expression, so it may differ per item. */
	isExpression(path: string): boolean {
		return holdsExpression(this.saved(path));
	}
}

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsExpression);
	return false;
}
