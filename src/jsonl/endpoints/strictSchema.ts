/**
 * What OpenAI-compatible strict mode ("strict": true) needs of a JSON Schema, checked before anything
 * is uploaded (an API refuses the whole batch otherwise, line by line):
 * - the top level is an object (`"type": "object"`);
 * - every object lists all its properties in `required` (an optional field is written as required
 *   with a type that allows null, e.g. "type": ["string", "null"]);
 * - every object has `"additionalProperties": false`.
 * Objects are found in properties, items, anyOf/allOf/oneOf, $defs and definitions.
 * Returns what to change, one entry per place (empty when the schema is fine for strict mode).
 */
export function strictModeProblems(schema: Record<string, unknown>): string[] {
	const problems: string[] = [];
	if (schema.type !== 'object') {
		problems.push('the top level must be an object: give it "type": "object" with its "properties" (a list or a single value can be one property of it)');
	}
	visit(schema, '', problems);
	return problems;
}

function visit(node: unknown, at: string, problems: string[]): void {
	if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
	const schema = node as Record<string, unknown>;
	const where = at || 'the top level';
	const types = Array.isArray(schema.type) ? schema.type : [schema.type];
	const properties = isRecord(schema.properties) ? schema.properties : undefined;
	if (types.includes('object') || properties) {
		if (schema.additionalProperties !== false) problems.push(`${where}: add "additionalProperties": false`);
		const required = new Set(Array.isArray(schema.required) ? schema.required : []);
		const missing = Object.keys(properties ?? {}).filter((key) => !required.has(key));
		if (missing.length > 0) {
			problems.push(`${where}: list ${missing.map((key) => `"${key}"`).join(', ')} in "required" (to make a field optional, allow null: "type": ["string", "null"])`);
		}
	}
	for (const [key, child] of Object.entries(properties ?? {})) visit(child, join(at, `properties.${key}`), problems);
	if (Array.isArray(schema.items)) schema.items.forEach((child, i) => visit(child, join(at, `items[${i}]`), problems));
	else visit(schema.items, join(at, 'items'), problems);
	if (Array.isArray(schema.prefixItems)) schema.prefixItems.forEach((child, i) => visit(child, join(at, `prefixItems[${i}]`), problems));
	for (const keyword of ['anyOf', 'allOf', 'oneOf'] as const) {
		const list = schema[keyword];
		if (Array.isArray(list)) list.forEach((child, i) => visit(child, join(at, `${keyword}[${i}]`), problems));
	}
	for (const keyword of ['$defs', 'definitions'] as const) {
		const defs = schema[keyword];
		if (isRecord(defs)) for (const [key, child] of Object.entries(defs)) visit(child, join(at, `${keyword}.${key}`), problems);
	}
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(at: string, key: string): string {
	return at ? `${at}.${key}` : key;
}
