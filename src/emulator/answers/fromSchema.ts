import { createHash } from 'node:crypto';
import { effective, isNode, kindOf, numberOr, objectKeys, propertySchema, type SchemaNode } from './schemaWalk';

/**
 * A deterministic JSON value that follows a JSON schema, built from the schema itself: objects carry
 * every listed and required property, an enum gives one of its choices, integers and numbers stay within
 * minimum/maximum (and multipleOf), strings are short texts taken from the prompt (cut or padded to
 * minLength/maxLength; date, date-time, email, uri and uuid formats get values of that shape), arrays one
 * or two items (within minItems/maxItems), anyOf/oneOf their first branch, allOf merged, $ref followed
 * inside the schema. The choices vary with `seed` (the custom_id and the prompt), never at random.
 * Not covered: `pattern` (not followed), `not`, `if/then/else`, remote `$ref`s.
 * A schema that allows anything gives `{ "answer": <fallback> }`.
 */
export function valueFromSchema(schema: unknown, seed: string, prompt: string, fallback: string): unknown {
	const root = isNode(schema) ? schema : {};
	const node = effective(root, root);
	if (kindOf(node) === 'any' && node.enum === undefined && node.const === undefined) return { answer: fallback };
	return new Builder(root, seed, prompt).value(node, '$', 0);
}

/** A number in [0, 2^32) from the seed and a path: the same request and field always give the same choice. */
export function choice(seed: string, path: string): number {
	return createHash('sha256').update(`${seed}\u0000${path}`).digest().readUInt32BE(0);
}

class Builder {
	constructor(
		private readonly root: SchemaNode,
		private readonly seed: string,
		private readonly prompt: string,
	) {}

	value(raw: unknown, path: string, depth: number): unknown {
		const node = effective(raw, this.root);
		if ('const' in node) return node.const;
		if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[choice(this.seed, path) % node.enum.length];
		if (depth > 8) return null;
		switch (kindOf(node)) {
			case 'object':
				return this.object(node, path, depth);
			case 'array':
				return this.array(node, path, depth);
			case 'integer':
				return this.integer(node, path);
			case 'number':
				return this.number(node, path);
			case 'boolean':
				return choice(this.seed, path) % 2 === 0;
			case 'null':
				return null;
			default:
				return this.string(node, path);
		}
	}

	private object(node: SchemaNode, path: string, depth: number): Record<string, unknown> {
		const result: Record<string, unknown> = {};
		for (const key of objectKeys(node)) result[key] = this.value(propertySchema(node, key) ?? {}, `${path}.${key}`, depth + 1);
		const minProperties = numberOr(node.minProperties) ?? 0;
		const extra = node.additionalProperties;
		for (let i = 1; Object.keys(result).length < minProperties && extra !== false && i <= minProperties; i++) {
			result[`field_${i}`] = this.value(isNode(extra) ? extra : {}, `${path}.field_${i}`, depth + 1);
		}
		return result;
	}

	private array(node: SchemaNode, path: string, depth: number): unknown[] {
		const tuple = Array.isArray(node.prefixItems) ? node.prefixItems : Array.isArray(node.items) ? node.items : [];
		const rest = Array.isArray(node.items) ? node.additionalItems : node.items;
		const min = numberOr(node.minItems) ?? 0;
		const max = numberOr(node.maxItems) ?? Infinity;
		const wanted = Math.min(max, Math.max(min, tuple.length, 1 + (choice(this.seed, `${path}#count`) % 2)));
		const items: unknown[] = [];
		const seen = new Set<string>();
		for (let i = 0; items.length < wanted && i < wanted + 20; i++) {
			const index = items.length;
			const schema = index < tuple.length ? tuple[index] : rest === false ? undefined : rest;
			if (schema === undefined && index >= tuple.length && rest === false) break;
			const item = this.value(schema ?? {}, `${path}[${i}]`, depth + 1);
			const key = JSON.stringify(item);
			if (node.uniqueItems === true && seen.has(key)) continue;
			seen.add(key);
			items.push(item);
		}
		return items;
	}

	private integer(node: SchemaNode, path: string): number {
		const exMin = numberOr(node.exclusiveMinimum);
		const exMax = numberOr(node.exclusiveMaximum);
		let lo = numberOr(node.minimum) ?? (exMin !== undefined ? Math.floor(exMin) + 1 : undefined);
		let hi = numberOr(node.maximum) ?? (exMax !== undefined ? Math.ceil(exMax) - 1 : undefined);
		lo = lo === undefined ? (hi === undefined ? 0 : hi - 100) : Math.ceil(lo);
		hi = hi === undefined ? lo + 100 : Math.floor(hi);
		if (hi < lo) hi = lo;
		const step = numberOr(node.multipleOf);
		if (step !== undefined && Number.isInteger(step) && step > 0) {
			const first = Math.ceil(lo / step) * step;
			const count = Math.max(1, Math.floor((hi - first) / step) + 1);
			return first + step * (choice(this.seed, path) % count);
		}
		return lo + (choice(this.seed, path) % (hi - lo + 1));
	}

	private number(node: SchemaNode, path: string): number {
		const exMin = numberOr(node.exclusiveMinimum);
		const exMax = numberOr(node.exclusiveMaximum);
		let lo = numberOr(node.minimum) ?? exMin;
		let hi = numberOr(node.maximum) ?? exMax;
		if (lo === undefined) lo = hi === undefined ? 0 : hi - 100;
		if (hi === undefined) hi = lo + 100;
		const step = numberOr(node.multipleOf);
		if (step !== undefined && step > 0) {
			const first = Math.ceil(lo / step) * step;
			const count = Math.max(1, Math.floor((hi - first) / step) + 1);
			let value = first + step * (choice(this.seed, path) % count);
			if (exMin !== undefined && value <= exMin) value += step;
			if (exMax !== undefined && value >= exMax) value -= step;
			return Number(value.toPrecision(12));
		}
		// Strictly inside (lo, hi): 10% to 90% of the way, two decimals.
		const fraction = (1 + (choice(this.seed, path) % 9)) / 10;
		const value = Math.round((lo + (hi - lo) * fraction) * 100) / 100;
		return value > lo && value < hi ? value : (lo + hi) / 2;
	}

	private string(node: SchemaNode, path: string): string {
		const n = choice(this.seed, path);
		const shaped = formattedText(node.format, n);
		let text = shaped ?? this.text(path);
		const chars = Array.from(text);
		const max = numberOr(node.maxLength);
		const min = numberOr(node.minLength) ?? 0;
		if (max !== undefined && chars.length > max) text = chars.slice(0, max).join('');
		if (chars.length < min) text = text + '.'.repeat(min - chars.length);
		return text;
	}

	/**
	 * "Summary: the first words of the prompt": the field name, then up to eight words of the prompt's last
	 * line, without a leading label such as "Review:".
	 */
	private text(path: string): string {
		const field = path.split('.').pop()?.replace(/\[\d+\]$/, '').replace(/^\$$/, '') || 'answer';
		const label = field.replace(/[_-]+/g, ' ').trim();
		const lines = this.prompt.split('\n').map((line) => line.trim()).filter(Boolean);
		const last = (lines[lines.length - 1] ?? '').replace(/^[\p{L}][\p{L} ]{0,20}:\s+/u, '');
		const words = last.split(/\s+/).filter(Boolean).slice(0, 8).join(' ');
		const text = `${label.charAt(0).toUpperCase()}${label.slice(1)}: ${words || 'no text'}`;
		return text.length > 80 ? `${text.slice(0, 77)}...` : text;
	}
}

function formattedText(format: unknown, n: number): string | undefined {
	const day = String(1 + (n % 28)).padStart(2, '0');
	const hex = (n.toString(16).padStart(8, '0') + '0000000000000000000000000000').slice(0, 32);
	switch (format) {
		case 'date':
			return `2026-01-${day}`;
		case 'date-time':
			return `2026-01-${day}T12:00:00Z`;
		case 'time':
			return '12:00:00Z';
		case 'email':
			return `user${n % 1000}@example.com`;
		case 'uri':
		case 'url':
			return `https://example.com/item/${n % 1000}`;
		case 'uuid':
			return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
		default:
			return undefined;
	}
}
