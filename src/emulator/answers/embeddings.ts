import { createHash } from 'node:crypto';
import { embeddingInputsOf } from '../../schemas';
import type { AnswerBody } from './chat';
import { countTokens } from './text';

/** The inputs of an embeddings body as texts (a token-id array is joined into one text). */
export function embeddingTexts(input: unknown): string[] {
	return embeddingInputsOf(input).map((v) => (typeof v === 'string' ? v : v.join(' ')));
}

/** `dimensions` floats in [-1, 1] derived from a hash of the text: same text, same vector. */
export function embeddingOf(text: string, dimensions: number): number[] {
	const values: number[] = [];
	for (let block = 0; values.length < dimensions; block++) {
		const digest = createHash('sha256').update(`${block}:${text}`).digest();
		for (let i = 0; i + 4 <= digest.length && values.length < dimensions; i += 4) {
			values.push(Math.round((digest.readUInt32BE(i) / 0xffffffff) * 2e6 - 1e6) / 1e6);
		}
	}
	return values;
}

function toBase64(vector: number[]): string {
	const floats = new Float32Array(vector);
	return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}

export function answerEmbeddings(body: Record<string, unknown>): AnswerBody {
	const inputs = embeddingTexts(body.input);
	const dimensions = typeof body.dimensions === 'number' && body.dimensions > 0 ? body.dimensions : 8;
	const base64 = body.encoding_format === 'base64';
	const data = inputs.map((text, index) => {
		const vector = embeddingOf(text, dimensions);
		return { object: 'embedding', index, embedding: base64 ? toBase64(vector) : vector };
	});
	const promptTokens = inputs.reduce((sum, text) => sum + countTokens(text), 0);
	const usage = { prompt_tokens: promptTokens, completion_tokens: 0, total_tokens: promptTokens };
	return {
		usage,
		body: { object: 'list', data, model: body.model, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } },
	};
}
