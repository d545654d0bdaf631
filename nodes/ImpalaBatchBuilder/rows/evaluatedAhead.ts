import { outcomeValue, rowOutcome, type RowOutcome } from './rowOutcome';

/** How many items an expression is evaluated for at once, at most (about 10 ms of n8n's evaluation). */
export const EVALUATE_AHEAD_ITEMS = 128;

/**
 * An expression field's values for the next run of items, evaluated one after another before those rows
 * are built. n8n's evaluation and the build slow each other down when they alternate item by item
 * (`bench/builder.ts itemsEvaluatedPaired`: the Builder took 1.17× n8n's own cost of the same evaluations
 * item by item, 1.10–1.12× in runs of 128). A failure stays with its item and is thrown
 * only when that item's row is read, as if it had been evaluated then. A run ends early once `pause`
 * says the event loop's slice is used up, so it never lengthens a synchronous stretch by more than
 * one evaluation.
 */
export class EvaluatedAhead {
	private readonly runs = new Map<string, { start: number; outcomes: RowOutcome[] }>();

	constructor(
		private readonly itemCount: number,
		/** n8n's evaluation of one field for one item; a row problem is thrown as a RowFieldError. */
		private readonly evaluate: (param: string, index: number, fallback: unknown) => unknown,
		/** True when the run should end after the item just evaluated (the first item is always evaluated). */
		private readonly pause: () => boolean = () => false,
		private readonly runLength = EVALUATE_AHEAD_ITEMS,
	) {}

	/** The field's value for item `index`; `fallback` is n8n's value for a field the node does not have. */
	value(param: string, index: number, fallback: unknown): unknown {
		let run = this.runs.get(param);
		if (!run || index < run.start || index >= run.start + run.outcomes.length) {
			run = { start: index, outcomes: [] };
			const end = Math.min(this.itemCount, index + this.runLength);
			for (let i = index; i < end; i++) {
				run.outcomes.push(rowOutcome(() => this.evaluate(param, i, fallback)));
				if (this.pause()) break;
			}
			this.runs.set(param, run);
		}
		return outcomeValue(run.outcomes[index - run.start]);
	}
}
