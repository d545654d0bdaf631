/*
 * After a poll has listed its new batches (ceil(new / page size) calls), some watched batches may not
 * have shown up yet: they sit deeper in the list. Two ways to check them: keep listing down to the
 * deepest one (one call per page), or fetch each one directly (one call each). The plan takes the
 * cheaper; direct fetches are capped per poll (FETCH_BUDGET) and go round-robin, the batch checked
 * longest ago first, so a long watch list is spread over polls instead of making one poll slow.
 */

/** Direct fetches of watched batches per poll at most; the rest wait for the next polls, in turn. */
export const FETCH_BUDGET = 25;

export interface CatchUpInput {
	/** Watched batches not seen yet in this poll, in check order, with their expected depth (0 = newest). */
	unseen: ReadonlyArray<{ id: string; depth: number }>;
	/** Batches listed so far in this poll. */
	listed: number;
	/** True when the list has no more pages. */
	listEnded: boolean;
	pageSize: number;
	fetchBudget?: number;
}

export type CatchUpPlan =
	| { kind: 'none' }
	/** Keep listing until position `through` (0-based, the end of a page) or until every unseen one showed up. */
	| { kind: 'list'; through: number; pages: number }
	/** Fetch these batches directly (at most the budget). */
	| { kind: 'fetch'; ids: string[] };

export function planCatchUp(input: CatchUpInput): CatchUpPlan {
	const { unseen, listed, pageSize } = input;
	const budget = input.fetchBudget ?? FETCH_BUDGET;
	if (unseen.length === 0) return { kind: 'none' };
	const fetch = (): CatchUpPlan => ({ kind: 'fetch', ids: unseen.slice(0, budget).map((u) => u.id) });
	if (input.listEnded) return fetch(); // not in the list (deleted, or listed out of order): ask for each

	const pagesListed = Math.ceil(listed / pageSize);
	const deepest = Math.max(...unseen.map((u) => u.depth));
	if (!Number.isFinite(deepest)) return fetch();
	const pagesNeeded = Math.max(pagesListed, Math.floor(deepest / pageSize) + 1);
	const extraPages = pagesNeeded - pagesListed;
	// The rest of a page already fetched costs nothing. Listing checks every unseen batch for `extraPages`
	// calls, fetching one batch per call: list when that is fewer calls per batch checked.
	if (extraPages === 0 || extraPages < unseen.length) {
		return { kind: 'list', through: pagesNeeded * pageSize - 1, pages: extraPages };
	}
	return fetch();
}

/** Calls a poll makes at most, by the rule above: new batches' pages, plus the cheaper way to the watched ones. */
export function callBound(newBatches: number, pageSize: number, catchUp: CatchUpPlan): number {
	const listing = Math.max(1, Math.ceil(newBatches / pageSize));
	if (catchUp.kind === 'list') return listing + catchUp.pages;
	return listing + (catchUp.kind === 'fetch' ? catchUp.ids.length : 0);
}
