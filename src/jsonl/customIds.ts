/** `row-1`, `row-2`, ...: the id of the n-th row when the user lets the node number them. */
export function generatedCustomId(index: number): string {
	return `row-${index + 1}`;
}

/** Remembers every custom_id seen and, for each one used more than once, all the rows using it. */
export class CustomIdRegistry {
	private readonly firstRow = new Map<string, number>();
	private readonly repeats = new Map<string, number[]>();

	/** `row` is the number the user sees (spreadsheet row or item number). */
	add(customId: string, row: number): void {
		const first = this.firstRow.get(customId);
		if (first === undefined) {
			this.firstRow.set(customId, row);
			return;
		}
		const rows = this.repeats.get(customId);
		if (rows) rows.push(row);
		else this.repeats.set(customId, [first, row]);
	}

	/** Each repeated id with all its rows, in order of the id's first use. */
	*duplicates(): Generator<{ customId: string; rows: number[] }> {
		for (const [customId, rows] of this.repeats) yield { customId, rows };
	}
}
