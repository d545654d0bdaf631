import type { ExtractedAnswer } from './types';

const FENCE = /^```(?:json)?\s*\n?([\s\S]*?)\n?```$/i;

/** The JSON value of an answer text; a ```json fence around it is allowed. The one place of that rule. */
export function readJsonAnswer(text: string): { value: unknown } | { error: string } {
	const trimmed = text.trim();
	const unfenced = FENCE.exec(trimmed)?.[1] ?? trimmed;
	try {
		return { value: JSON.parse(unfenced) };
	} catch (error) {
		return { error: (error as Error).message };
	}
}

/** Replaces a text answer by its JSON value; a ```json fence around it is allowed. Keeps the text on failure. */
export function parseAnswerJson(extracted: ExtractedAnswer): ExtractedAnswer {
	if (typeof extracted.answer !== 'string') return extracted;
	const read = readJsonAnswer(extracted.answer);
	if ('value' in read) return { ...extracted, answer: read.value };
	return { ...extracted, answer_json_error: `The answer is not valid JSON: ${read.error}` };
}
