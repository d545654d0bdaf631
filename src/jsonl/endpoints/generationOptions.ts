import type { IssuePath, ResponseFormat } from './types';

/** Sets temperature when given (0 is a real value). */
export function setTemperature(body: Record<string, unknown>, temperature: number | undefined): void {
	if (temperature !== undefined) body.temperature = temperature;
}

/** Chat completions: `response_format`; the default (text) is not sent. */
export function chatResponseFormat(format: ResponseFormat | undefined): Record<string, unknown> | undefined {
	if (!format || format.type === 'text') return undefined;
	if (format.type === 'json_object') return { type: 'json_object' };
	return {
		type: 'json_schema',
		json_schema: { name: format.name, schema: format.schema, ...(format.strict !== undefined && { strict: format.strict }) },
	};
}

/** Responses: `text.format`; the default (text) is not sent. */
export function responsesTextFormat(format: ResponseFormat | undefined): Record<string, unknown> | undefined {
	if (!format || format.type === 'text') return undefined;
	if (format.type === 'json_object') return { format: { type: 'json_object' } };
	return {
		format: {
			type: 'json_schema',
			name: format.name,
			schema: format.schema,
			...(format.strict !== undefined && { strict: format.strict }),
		},
	};
}

export const GENERATION_FIELDS: Record<string, string> = {
	model: 'Model',
	temperature: 'Temperature',
	max_tokens: 'Maximum Tokens',
	max_output_tokens: 'Maximum Tokens',
	response_format: 'Response Format',
	text: 'Response Format',
};

/** The node field behind a body path of the generation settings; a JSON schema's name is the Schema Name field. */
export function generationFieldAt(path: IssuePath): string | undefined {
	const [key, , leaf] = path;
	if ((key === 'response_format' || key === 'text') && leaf === 'name') return 'Schema Name';
	if ((key === 'response_format' || key === 'text') && leaf === 'schema') return 'JSON Schema';
	return typeof key === 'string' ? GENERATION_FIELDS[key] : undefined;
}
