import type { ExtractedAnswer } from './types';

const FENCE = /^```(?:json)?\s*\n?([\s\S]*?)\n?```$/i;

/** Replaces a text answer by its JSON value; a ```json fence around it is allowed. Keeps the text on failure. */
export function parseAnswerJson(extracted: ExtractedAnswer): ExtractedAnswer {
	if (typeof extracted.answer !== 'string') return extracted;
	const text = extracted.answer.trim();
	const unfenced = FENCE.exec(text)?.[1] ?? text;
	try {
		return { ...extracted, answer: JSON.parse(unfenced) };
	} catch (error) {
		return { ...extracted, answer_json_error: `The answer is not valid JSON: ${(error as Error).message}` };
	}
}
