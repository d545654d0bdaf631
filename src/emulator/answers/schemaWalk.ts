/** A JSON Schema node as the emulator reads it (booleans and odd values count as "anything"). */
export type SchemaNode = Record<string, unknown>;

export function isNode(value: unknown): value is SchemaNode {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `#/$defs/x` (or any `#/...` JSON pointer) inside the root schema; undefined for other refs. */
export function pointer(root: SchemaNode, ref: string): unknown {
	if (ref === '#') return root;
	if (!ref.startsWith('#/')) return undefined;
	let at: unknown = root;
	for (const raw of ref.slice(2).split('/')) {
		const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
		if (!isNode(at) && !Array.isArray(at)) return undefined;
		at = (at as Record<string, unknown>)[part];
	}
	return at;
}

function mergeNodes(base: SchemaNode, extra: SchemaNode): SchemaNode {
	const merged: SchemaNode = { ...base, ...extra };
	if (isNode(base.properties) || isNode(extra.properties)) {
		merged.properties = { ...(isNode(base.properties) ? base.properties : {}), ...(isNode(extra.properties) ? extra.properties : {}) };
	}
	const required = [base.required, extra.required].flatMap((r) => (Array.isArray(r) ? r : []));
	if (required.length > 0) merged.required = [...new Set(required)];
	return merged;
}

/**
 * The schema node with its `$ref` followed, `allOf` merged and the first branch of `anyOf`/`oneOf` taken,
 * so what is left describes one concrete kind of value. `{}` for anything the emulator cannot follow.
 */
export function effective(node: unknown, root: SchemaNode, depth = 0): SchemaNode {
	if (!isNode(node) || depth > 20) return {};
	let current: SchemaNode = node;
	if (typeof current.$ref === 'string') {
		const { $ref, ...rest } = current;
		current = mergeNodes(effective(pointer(root, $ref as string), root, depth + 1), rest);
	}
	if (Array.isArray(current.allOf)) {
		const { allOf, ...rest } = current;
		current = (allOf as unknown[]).reduce<SchemaNode>((acc, part) => mergeNodes(acc, effective(part, root, depth + 1)), rest);
	}
	const branches = Array.isArray(current.anyOf) ? current.anyOf : Array.isArray(current.oneOf) ? current.oneOf : undefined;
	if (branches && branches.length > 0) {
		const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = current;
		current = mergeNodes(rest, effective(branches[0], root, depth + 1));
	}
	return current;
}

export type ValueKind = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null' | 'any';

/** The one kind of value a node asks for (the first non-null type of a type list). */
export function kindOf(node: SchemaNode): ValueKind {
	const { type } = node;
	if (typeof type === 'string') return type as ValueKind;
	if (Array.isArray(type) && type.length > 0) return (type.find((t) => t !== 'null') ?? type[0]) as ValueKind;
	if (isNode(node.properties) || Array.isArray(node.required)) return 'object';
	if (node.items !== undefined || Array.isArray(node.prefixItems)) return 'array';
	if (['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'].some((k) => typeof node[k] === 'number')) return 'number';
	if (['minLength', 'maxLength', 'pattern', 'format'].some((k) => node[k] !== undefined)) return 'string';
	return 'any';
}

/** The names an object answer carries: every listed property, then required names not listed. */
export function objectKeys(node: SchemaNode): string[] {
	const listed = isNode(node.properties) ? Object.keys(node.properties) : [];
	const required = Array.isArray(node.required) ? node.required.filter((r): r is string => typeof r === 'string') : [];
	return [...new Set([...listed, ...required])];
}

export function propertySchema(node: SchemaNode, key: string): unknown {
	return isNode(node.properties) ? node.properties[key] : undefined;
}

export function numberOr(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
