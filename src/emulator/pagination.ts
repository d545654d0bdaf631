import type { ListEnvelope } from '../schemas';

/** One page of `items` (already in list order) after the `after` id: OpenAI's cursor envelope. */
export function paginate<T extends { id: string }>(items: T[], after: string | undefined, limit: number): ListEnvelope<T> {
	let start = 0;
	if (after !== undefined) {
		const at = items.findIndex((item) => item.id === after);
		start = at < 0 ? items.length : at + 1;
	}
	const data = items.slice(start, start + limit);
	return {
		object: 'list',
		data,
		first_id: data[0]?.id ?? null,
		last_id: data[data.length - 1]?.id ?? null,
		has_more: start + limit < items.length,
	};
}
