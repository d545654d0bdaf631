import type { BuiltBody, EmbeddingsInput } from './types';

const FIELDS: Record<string, string> = {
	model: 'Model',
	input: 'Input',
	dimensions: 'Dimensions',
	encoding_format: 'Encoding Format',
};

export function buildEmbeddingsBody(input: EmbeddingsInput): BuiltBody {
	const body: Record<string, unknown> = { model: input.model, input: input.input };
	if (input.dimensions !== undefined) body.dimensions = input.dimensions;
	if (input.encodingFormat !== undefined) body.encoding_format = input.encodingFormat;
	return { body, fieldAt: ([key]) => (typeof key === 'string' ? FIELDS[key] : undefined) };
}
