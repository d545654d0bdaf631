import { spec } from './openapi';

export type SampleMode = 'minimal' | 'maximal';
type Schema = Record<string, any>;

/**
 * A document built from a spec schema: `minimal` has only the required properties, the first enum
 * value, the null branch of every nullable and empty arrays; `maximal` has every property (plus one
 * extra entry where additional properties are allowed), the last enum value, the non-null branch,
 * two-element arrays and fractional numbers where the type allows them; a property's own `example`
 * is used as is in `maximal`.
 */
export function sampleOf(schema: Schema, mode: SampleMode, name = 'value'): unknown {
	if (mode === 'maximal' && 'example' in schema) return schema.example;
	if (mode === 'maximal' && Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
	if (typeof schema.$ref === 'string') return sampleOf(resolveRef(schema.$ref), mode, name);
	if ('const' in schema) return schema.const;
	if (Array.isArray(schema.enum)) return mode === 'minimal' ? schema.enum[0] : schema.enum[schema.enum.length - 1];
	if (Array.isArray(schema.anyOf)) {
		const branches = schema.anyOf as Schema[];
		const nullBranch = branches.find((b) => b.type === 'null');
		const others = branches.filter((b) => b !== nullBranch);
		return sampleOf(mode === 'minimal' && nullBranch ? nullBranch : others[0], mode, name);
	}
	switch (schema.type) {
		case 'null':
			return null;
		case 'object': {
			const properties = (schema.properties ?? {}) as Record<string, Schema>;
			const required = new Set<string>(schema.required ?? []);
			const out: Record<string, unknown> = {};
			for (const [key, sub] of Object.entries(properties)) {
				if (mode === 'maximal' || required.has(key)) out[key] = sampleOf(sub, mode, key);
			}
			if (mode === 'maximal' && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
				out[`extra_${name}`] = sampleOf(schema.additionalProperties, mode, 'extra');
			}
			return out;
		}
		case 'array':
			return mode === 'minimal' ? [] : [sampleOf(schema.items ?? {}, mode, name), sampleOf(schema.items ?? {}, mode, name)];
		case 'string':
			return mode === 'minimal' ? '' : `${name}-sample`;
		case 'integer':
			return mode === 'minimal' ? (schema.minimum ?? 0) : (schema.maximum ?? 1_767_225_600);
		case 'number':
			return mode === 'minimal' ? (schema.minimum ?? 0) : 1234.5;
		case 'boolean':
			return mode === 'maximal';
		default:
			return mode === 'minimal' ? {} : { any: 'json' };
	}
}

function resolveRef(ref: string): Schema {
	const match = /^#\/components\/schemas\/(.+)$/.exec(ref);
	if (!match) throw new Error(`unsupported $ref ${ref}`);
	return spec.components.schemas[match[1]];
}

/** The `example` / `examples` written on a component schema itself (property-level ones go into maximal samples). */
export function examplesOf(schemaName: string): unknown[] {
	const schema = spec.components.schemas[schemaName] as Schema;
	return [...('example' in schema ? [schema.example] : []), ...(Array.isArray(schema.examples) ? schema.examples : [])];
}
