import type { INodeProperties } from 'n8n-workflow';
import { optionNames } from '../shared/descriptions';

/**
 * The canvas subtitle ("On Completed, Failed"): one expression that swaps each chosen status for the
 * name the editor shows in "Trigger On", so no name is written twice. A value it does not know (set by
 * an expression) is shown as it is rather than dropped.
 */
export function statusSubtitleExpression(statuses: INodeProperties): string {
	const names = optionNames(statuses);
	const chosen = `[].concat($parameter[${JSON.stringify(statuses.name)}] || [])`;
	const shown = `${chosen}.map((status) => (${JSON.stringify(names)})[status] || status)`;
	return `={{${chosen}.length ? "On " + ${shown}.join(", ") : ""}}`;
}
