import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { SliceClock } from '../../../src/eventLoop';
import { RowFieldError, type RowSource, type SourceRow } from '../../../src/jsonl';
import type { BatchEndpoint } from '../../../src/schemas';
import { itemFieldText, labelOf, parseJsonField, textOf, textOrListOf, type FieldReader } from './fieldReader';
import { EvaluatedAhead } from './evaluatedAhead';
import { jsonFieldReference, plainFieldValue } from './jsonFieldReference';
import { NodeParameters } from './nodeParameters';
import { readRequest } from './readRequest';
import { outcomeValue, rowOutcome, type RowOutcome } from './rowOutcome';

/**
 * A fixed value (read once for the node), or an expression evaluated per item; `field` when the
 * expression only reads that item field (`{{ $json.text }}`).
 */
type ReadWay = { fixed: true } | { fixed: false; field?: string };

/**
 * Fields of one n8n item: an expression is evaluated for that item, so it sees its $json (for a run of
 * items at once: `EvaluatedAhead`); a fixed value (not an expression) is read once for the node and
 * reused for every item; an expression that only reads a field (`{{ $json.text }}`) takes a plain value
 * straight from the item (see `jsonFieldReference`).
 */
class ItemFieldReader implements FieldReader {
	index = 0;
	private readonly fixed = new Map<string, RowOutcome>();
	/** Fixed JSON fields, parsed once. */
	private readonly fixedJson = new Map<string, RowOutcome>();
	/** Per parameter, from its saved value once: how it is read for each item. */
	private readonly ways = new Map<string, ReadWay>();
	private readonly blanks = new Map<string, boolean>();
	private readonly parameters: NodeParameters;
	private readonly ahead: EvaluatedAhead;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly items: INodeExecutionData[],
		/** The build's event-loop clock: a run of evaluations ahead ends when its slice is used up. */
		clock: SliceClock,
	) {
		this.parameters = new NodeParameters(ctx);
		this.ahead = new EvaluatedAhead(
			items.length,
			(param, index, fallback) => this.evaluate(param, index, fallback),
			() => clock.due(),
		);
	}

	text(param: string): string {
		return textOf(param, this.get<unknown>(param, ''));
	}

	textOrList(param: string): string | string[] {
		return textOrListOf(param, this.get<unknown>(param, ''));
	}

	json(param: string): unknown {
		if (this.isFixed(param)) {
			// A fixed value is parsed once for the node (the value is only read, never changed, by the build).
			let known = this.fixedJson.get(param);
			if (!known) {
				known = rowOutcome(() => this.parsedJson(param));
				this.fixedJson.set(param, known);
			}
			return outcomeValue(known);
		}
		return this.parsedJson(param);
	}

	private parsedJson(param: string): unknown {
		const value = this.get<unknown>(param, '');
		return typeof value === 'string' ? parseJsonField(param, value) : (value ?? undefined);
	}

	setting<T>(param: string, fallback: T): T {
		return this.get(param, fallback);
	}

	fields(names: string[]): string[] {
		const json = this.items[this.index].json;
		return names.map((name) => {
			if (!(name in json)) {
				const existing = Object.keys(json).map((k) => `"${k}"`).join(', ') || 'none';
				throw new RowFieldError(
					'Input Fields or Columns',
					`names the field "${name}", which this item does not have. Its fields: ${existing}.`,
					'Use the names of the item fields, separated by commas.',
				);
			}
			return itemFieldText(name, json[name]);
		});
	}

	isBlank(param: string): boolean {
		let blank = this.blanks.get(param);
		if (blank === undefined) {
			const saved = this.parameters.saved(param);
			blank = saved === undefined || saved === '';
			this.blanks.set(param, blank);
		}
		return blank;
	}

	private isFixed(param: string): boolean {
		return this.wayOf(param).fixed;
	}

	private wayOf(param: string): ReadWay {
		let way = this.ways.get(param);
		if (!way) {
			way = this.parameters.isExpression(param)
				? { fixed: false, field: jsonFieldReference(this.parameters.saved(param)) }
				: { fixed: true };
			this.ways.set(param, way);
		}
		return way;
	}

	private get<T>(param: string, fallback: T): T {
		const way = this.wayOf(param);
		if (!way.fixed) {
			if (way.field !== undefined) {
				// A mapped field: n8n evaluates it only for an item whose value is not plain, that item alone.
				const plain = plainFieldValue(this.items[this.index].json, way.field);
				return plain === undefined ? this.evaluate(param, this.index, fallback) : (plain as T);
			}
			return this.ahead.value(param, this.index, fallback) as T;
		}
		let known = this.fixed.get(param);
		if (!known) {
			known = rowOutcome(() => this.evaluate(param, this.index, fallback));
			this.fixed.set(param, known);
		}
		return outcomeValue(known) as T;
	}

	private evaluate<T>(param: string, index: number, fallback: T): T {
		let failure: Error;
		try {
			return this.ctx.getNodeParameter(param, index, fallback) as T;
		} catch (error) {
			failure = error as Error;
		}
		// A row problem, collected with the others by the build; thrown outside the catch.
		throw new RowFieldError(labelOf(param), `could not be evaluated (${failure.message}).`, 'Check the expression for this item.');
	}
}

/** One n8n item as a row (a class, so a row costs no closures). */
class ItemRow implements SourceRow {
	readonly number: number;

	constructor(
		readonly itemIndex: number,
		private readonly reader: ItemFieldReader,
		private readonly endpoint: BatchEndpoint,
		private readonly customIdFromField: boolean,
	) {
		this.number = itemIndex + 1;
	}

	read() {
		this.reader.index = this.itemIndex;
		return readRequest(this.reader, this.endpoint, this.customIdFromField);
	}
}

/** One request per input item. Items are numbered from 1 in messages, as n8n shows them. */
export function itemRowSource(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	endpoint: BatchEndpoint,
	customIdFromField: boolean,
): RowSource {
	return {
		noun: 'Item',
		async *rows(clock) {
			const reader = new ItemFieldReader(ctx, items, clock);
			for (let index = 0; index < items.length; index++) yield new ItemRow(index, reader, endpoint, customIdFromField);
		},
		fixFor: (field) => `Check what the ${field} field gives for this item.`,
	};
}
