import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonFieldReference, plainFieldValue } from '../../nodes/ImpalaBatchBuilder/rows/jsonFieldReference';

test('a whole expression that only reads one item field names that field', () => {
	const cases: Array<[string, string]> = [
		['={{ $json.text }}', 'text'],
		['={{$json.text}}', 'text'],
		['={{  $json._id2  }}', '_id2'],
		['={{ $json["custom id"] }}', 'custom id'],
		["={{ $json['Spalte ä'] }}", 'Spalte ä'],
		['={{ $json[ "x" ] }}', 'x'],
	];
	for (const [saved, field] of cases) assert.equal(jsonFieldReference(saved), field, saved);
});

test('anything else is left to n8n', () => {
	const cases: unknown[] = [
		'{{ $json.text }}', // not an expression (no "=")
		'={{ $json.text }} ', // a template around it
		'=Hi {{ $json.text }}',
		'={{ $json.text.trim() }}',
		'={{ $json.a.b }}',
		'={{ $json.text }}{{ $json.id }}',
		'={{ $json["a}}b"] }}',
		'={{ $json["a\\"b"] }}',
		'={{ $json[0] }}',
		'={{ $json.constructor }}',
		'={{ $json.__proto__ }}',
		"={{ $json['prototype'] }}",
		'={{ $input.item.json.text }}',
		'={{ ($json.text) }}',
		'={{ $json.1a }}',
		42,
		undefined,
		{ text: '={{ $json.text }}' },
	];
	for (const saved of cases) assert.equal(jsonFieldReference(saved), undefined, String(saved));
});

test('only own plain values are taken from the item; the rest is asked of n8n', () => {
	assert.equal(plainFieldValue({ a: 'x' }, 'a'), 'x');
	assert.equal(plainFieldValue({ a: '' }, 'a'), '');
	assert.equal(plainFieldValue({ a: 0 }, 'a'), 0);
	assert.equal(plainFieldValue({ a: false }, 'a'), false);
	for (const json of [{ a: null }, { a: undefined }, { a: { b: 1 } }, { a: ['x'] }, {}, null, undefined, 'text']) {
		assert.equal(plainFieldValue(json, 'a'), undefined, JSON.stringify(json));
	}
	assert.equal(plainFieldValue({}, 'toString'), undefined, 'inherited, not the item\'s own');
});
