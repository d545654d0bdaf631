import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * n8n's queue-mode workers renew their job lock on the event loop: a synchronous stretch of more than
 * about 100 ms risks it. Long loops (rows, lines) run in slices of SLICE_BUDGET_MS and yield between them.
 */
export const SLICE_BUDGET_MS = 40;

/** Cheap enough to ask per row: `if (clock.due()) await clock.yield();` */
export class SliceClock {
	#sliceStart = performance.now();

	constructor(readonly budgetMs: number = SLICE_BUDGET_MS) {}

	/** True once the current synchronous slice has used its budget. */
	due(): boolean {
		return performance.now() - this.#sliceStart >= this.budgetMs;
	}

	/** Lets timers, I/O and n8n's lock renewal run, then starts a new slice. */
	async yield(): Promise<void> {
		await nextTurn();
		this.#sliceStart = performance.now();
	}

	async maybeYield(): Promise<void> {
		if (this.due()) await this.yield();
	}
}
