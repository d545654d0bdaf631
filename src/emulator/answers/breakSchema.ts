import { choice } from './fromSchema';
import { effective, isNode, pointer, kindOf, numberOr, objectKeys, propertySchema, type SchemaNode } from './schemaWalk';

type Breakage = () => unknown;

/** Whether the node (after its $refs) offers anyOf/oneOf branches. */
function hasBranches(node: unknown, root: SchemaNode, depth = 0): boolean {
	if (!isNode(node) || depth > 20) return false;
	if (Array.isArray(node.anyOf) || Array.isArray(node.oneOf)) return true;
	return typeof node.$ref === 'string' && hasBranches(pointer(root, node.$ref), root, depth + 1);
}

/** Ways to make a value of this node break it: a number out of range, a wrong type, a choice not offered. */
function scalarBreakages(node: SchemaNode): Breakage[] {
	const kind = kindOf(node);
	const ways: Breakage[] = [];
	const max = numberOr(node.maximum) ?? numberOr(node.exclusiveMaximum);
	const min = numberOr(node.minimum) ?? numberOr(node.exclusiveMinimum);
	if ((kind === 'integer' || kind === 'number') && max !== undefined) ways.push(() => Math.floor(max) + 1);
	else if ((kind === 'integer' || kind === 'number') && min !== undefined) ways.push(() => Math.ceil(min) - 1);
	if (Array.isArray(node.enum) && node.enum.length > 0) ways.push(() => 'none of the choices');
	const nullable = Array.isArray(node.type) && node.type.includes('null');
	if (!nullable && (kind === 'string' || kind === 'integer' || kind === 'number' || kind === 'boolean')) {
		ways.push(() => (kind === 'string' ? 12345 : 'not a number'));
	}
	return ways;
}

/**
 * The valid `value` changed so that it breaks the schema: a property out of range, a required property
 * left out, a choice the enum does not offer, a wrong type or an extra property where none is allowed
 * (which one varies with `seed`). Undefined when the emulator finds no way (a schema that allows anything).
 */
export function breakValue(schema: unknown, value: unknown, seed: string): unknown {
	const root = isNode(schema) ? schema : {};
	const node = effective(root, root);
	const ways: Breakage[] = [];
	if (isNode(value) && kindOf(node) === 'object') {
		for (const key of objectKeys(node)) {
			// A value that breaks the first branch of anyOf/oneOf may still match another: left alone.
			if (hasBranches(propertySchema(node, key), root)) continue;
			const property = effective(propertySchema(node, key) ?? {}, root);
			for (const way of scalarBreakages(property)) ways.push(() => ({ ...value, [key]: way() }));
		}
		const required = Array.isArray(node.required) ? node.required.filter((r): r is string => typeof r === 'string') : [];
		for (const key of required) {
			ways.push(() => {
				const { [key]: _left, ...rest } = value;
				return rest;
			});
		}
		if (node.additionalProperties === false) {
			const extraKey = ['note', 'extra_note', 'not_asked_for'].find((key) => !objectKeys(node).includes(key)) ?? 'not_asked_for_';
			ways.push(() => ({ ...value, [extraKey]: 'not asked for' }));
		}
		const listed = new Set(objectKeys(node));
		const extra = effective(node.additionalProperties, root);
		for (const key of Object.keys(value).filter((k) => !listed.has(k))) {
			for (const way of scalarBreakages(extra)) ways.push(() => ({ ...value, [key]: way() }));
		}
		if ((numberOr(node.minProperties) ?? 0) > 0) ways.push(() => ({}));
	} else {
		ways.push(...scalarBreakages(node));
		if (kindOf(node) === 'object' || kindOf(node) === 'array') ways.push(() => 'not an object');
	}
	if (ways.length === 0) return undefined;
	return ways[choice(seed, 'break') % ways.length]();
}
