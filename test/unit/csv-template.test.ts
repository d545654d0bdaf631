import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TemplateError, compileTemplate } from '../../src/csv';

const header = ['id', 'text', 'Language'];

test('placeholders are replaced by the cells of the row, spaces inside braces allowed', () => {
	const t = compileTemplate('Translate to {{ Language }}: {{text}}', header, { field: 'User Message' });
	assert.deepEqual(t.columns, ['Language', 'text']);
	assert.equal(t.isConstant, false);
	assert.equal(t.render(['1', 'Hello', 'French']), 'Translate to French: Hello');
	assert.equal(compileTemplate('gpt-x', header, { field: 'Model' }).isConstant, true);
});

test('json escaping keeps a JSON template valid whatever the cell holds', () => {
	const t = compileTemplate('{"user": "{{text}}"}', header, { field: 'Additional Body Fields', escape: 'json' });
	assert.deepEqual(JSON.parse(t.render(['1', 'say "hi"\nbye\\', 'en'])), { user: 'say "hi"\nbye\\' });
});

test('an unknown column names itself and the columns that exist', () => {
	assert.throws(
		() => compileTemplate('{{txt}} and {{lang}}', header, { field: 'User Message' }),
		(error: TemplateError) => {
			assert.equal(error.field, 'User Message');
			assert.match(error.message, /"txt", "lang"/);
			assert.match(error.message, /Columns in the file: "id", "text", "Language"/);
			return true;
		},
	);
	assert.throws(
		() => compileTemplate('{{language}}', header, { field: 'User Message' }),
		(error: TemplateError) => /Did you mean "\{Language\}"/.test(error.fix),
	);
	assert.throws(
		() => compileTemplate('{{ $json.text }}', header, { field: 'User Message' }),
		(error: TemplateError) => /n8n expressions .* cannot see the rows/.test(error.fix),
	);
});

test('json templates: a placeholder outside a string inserts the cell as JSON', () => {
	const t = compileTemplate('{"a": {{obj}}, "b": "{{text}} \\"q\\" {{text}}"}', ['obj', 'text'], { field: 'Additional Body Fields', escape: 'json' });
	assert.deepEqual(JSON.parse(t.render(['{"x": [1]}', 'he said "no"'])), { a: { x: [1] }, b: 'he said "no" "q" he said "no"' });
	assert.deepEqual(JSON.parse(compileTemplate('{{obj}}', ['obj'], { field: 'F', escape: 'json' }).render(['{"t": 1}'])), { t: 1 });
});

test('{column} with single braces (left alone by the n8n editor) works like {{column}}; JSON braces are not columns', () => {
	const header = ['id', 'text', 'customer name'];
	const t = compileTemplate('Summarize {text} for { customer name } ({{id}})', header, { field: 'User Message' });
	assert.deepEqual(t.columns, ['text', 'customer name', 'id']);
	assert.equal(t.render(['7', 'the note', 'Ana']), 'Summarize the note for Ana (7)');
	const json = compileTemplate('[{"role":"user","content":"{text}"}, {}, { }]', header, { field: 'Extra Messages', escape: 'json' });
	assert.deepEqual(json.columns, ['text']);
	assert.deepEqual(JSON.parse(json.render(['', 'say "hi"', ''])), [{ role: 'user', content: 'say "hi"' }, {}, {}]);
	assert.throws(() => compileTemplate('{txt}', header, { field: 'User Message' }), (error: TemplateError) => /"txt"/.test(error.message));
});
