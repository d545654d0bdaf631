import type { ListEnvelope } from '../schemas';

/**
 * Walks a list endpoint page by page (`after = last_id` while `has_more`), yielding items as they come so
 * a caller can stop early with `break`. `noProgress` builds the error (from `problem`, said here) for a server
 * that says "more" but gives no new cursor (looping forever or stopping silently would both hide data).
 */
export async function* paginate<T extends { id: string }>(
	fetchPage: (after: string | undefined) => Promise<ListEnvelope<T>>,
	after: string | undefined,
	noProgress: (cursor: string | undefined, problem: string) => Error,
): AsyncGenerator<T, void, undefined> {
	let cursor = after;
	const seen = new Set<string>();
	for (;;) {
		const page = await fetchPage(cursor);
		yield* page.data;
		if (!page.has_more) return;
		const next = page.last_id || page.data[page.data.length - 1]?.id;
		if (!next || seen.has(next) || next === cursor) throw noProgress(cursor, 'has_more is true but no new last_id to continue from');
		seen.add(next);
		cursor = next;
	}
}
