import { RowFieldError } from '../../../src/jsonl';

/** A field's value, or the row problem reading it gave: kept to be thrown when a row reads the field. */
export type RowOutcome = { value: unknown } | { error: RowFieldError };

/**
 * `read()` as an outcome. Only a RowFieldError (a row problem) is kept; anything else is thrown, and
 * outside the catch, as n8n's lint rules want.
 */
export function rowOutcome(read: () => unknown): RowOutcome {
	let error: unknown;
	try {
		return { value: read() };
	} catch (caught) {
		error = caught;
	}
	if (!(error instanceof RowFieldError)) throw error;
	return { error };
}

/** The outcome's value, or its row problem thrown. */
export function outcomeValue(outcome: RowOutcome): unknown {
	if ('error' in outcome) throw outcome.error;
	return outcome.value;
}
