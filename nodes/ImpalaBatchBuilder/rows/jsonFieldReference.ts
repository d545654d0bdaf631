/**
 * The item field a saved parameter only reads, when the whole expression is `{{ $json.name }}` or
 * `{{ $json["name"] }}`: the most common Builder field (a column mapped by dragging it in). For such a
 * field the item's own value is the answer n8n would evaluate, as long as it is plain text, a number or
 * true/false; anything else (a missing field, null, an object, a list) still goes through n8n, so its
 * errors and conversions stay n8n's own. n8n's expression engine costs tens of microseconds per call:
 * on 50,000 items that is most of the Builder's time. Tests run both ways through n8n and compare.
 */
const DOT = /^=\{\{\s*\$json\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;
// No braces in a bracketed name: n8n cuts expressions at "}}".
const BRACKETS = /^=\{\{\s*\$json\[\s*(?:"([^"\\{}]*)"|'([^'\\{}]*)')\s*\]\s*\}\}$/;

/** Names n8n's expression sandbox treats specially (it refuses or rewrites them): always left to n8n. */
const LEFT_TO_N8N = new Set(['__proto__', 'prototype', 'constructor']);

/** The field name `saved` reads, or undefined when the expression is anything else. */
export function jsonFieldReference(saved: unknown): string | undefined {
	if (typeof saved !== 'string' || !saved.startsWith('={{')) return undefined;
	const match = DOT.exec(saved) ?? BRACKETS.exec(saved);
	const name = match?.[1] ?? match?.[2];
	return name === undefined || LEFT_TO_N8N.has(name) ? undefined : name;
}

/** The value n8n would give for `{{ $json[name] }}` on `json`, when it is plain; undefined to ask n8n. */
export function plainFieldValue(json: unknown, name: string): string | number | boolean | undefined {
	if (typeof json !== 'object' || json === null || !Object.prototype.hasOwnProperty.call(json, name)) return undefined;
	const value = (json as Record<string, unknown>)[name];
	return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
}
