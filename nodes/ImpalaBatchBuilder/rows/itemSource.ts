import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { RowFieldError, type RowSource } from '../../../src/jsonl';
import type { BatchEndpoint } from '../../../src/schemas';
import { labelOf, parseJsonField, toText, type FieldReader } from './fieldReader';
import { readRequest } from './readRequest';

/** Fields of one n8n item: every field is evaluated for that item, so expressions see its $json. */
class ItemFieldReader implements FieldReader {
	index = 0;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly items: INodeExecutionData[],
	) {}

	text(param: string): string {
		return toText(this.get(param, ''));
	}

	textOrList(param: string): string | string[] {
		const value = this.get<unknown>(param, '');
		return Array.isArray(value) ? value.map(toText) : toText(value);
	}

	json(param: string): unknown {
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
			return toText(json[name]);
		});
	}

	isBlank(param: string): boolean {
		return this.ctx.getNodeParameter(param, this.index, '', { rawExpressions: true }) === '';
	}

	private get<T>(param: string, fallback: T): T {
		let failure: Error;
		try {
			return this.ctx.getNodeParameter(param, this.index, fallback) as T;
		} catch (error) {
			failure = error as Error;
		}
		// A row problem, collected with the others by the build; thrown outside the catch.
		throw new RowFieldError(labelOf(param), `could not be evaluated (${failure.message}).`, 'Check the expression for this item.');
	}
}

/** One request per input item. Items are numbered from 1 in messages, as n8n shows them. */
export function itemRowSource(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	endpoint: BatchEndpoint,
	customIdFromField: boolean,
): RowSource {
	const reader = new ItemFieldReader(ctx, items);
	return {
		size: items.length,
		noun: 'Item',
		numberOf: (index) => index + 1,
		itemIndexOf: (index) => index,
		read(index) {
			reader.index = index;
			return readRequest(reader, endpoint, customIdFromField);
		},
		fixFor: (field) => `Check what the ${field} field gives for this item.`,
	};
}
