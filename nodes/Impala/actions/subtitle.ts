import type { INodeProperties } from 'n8n-workflow';
import { optionNames } from '../../shared/descriptions';

/**
 * The canvas subtitle as n8n's own nodes show it ("Get Results: Batch"): one expression that looks up
 * "resource:operation" in a table built from the names the editor shows, so no name is written twice.
 */
export function subtitleExpression(resource: INodeProperties, properties: INodeProperties[]): string {
	const resourceNames = optionNames(resource);
	const subtitles: Record<string, string> = {};
	for (const operation of properties.filter((p) => p.name === 'operation')) {
		for (const resourceValue of (operation.displayOptions?.show?.resource ?? []) as string[]) {
			for (const [value, name] of Object.entries(optionNames(operation))) {
				subtitles[`${resourceValue}:${value}`] = `${name}: ${resourceNames[resourceValue] ?? resourceValue}`;
			}
		}
	}
	return `={{(${JSON.stringify(subtitles)})[$parameter["resource"] + ":" + $parameter["operation"]]}}`;
}

