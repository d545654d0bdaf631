import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { INodeProperties } from 'n8n-workflow';
import { subtitleOf, TestNodeTypes } from '../helpers/workflow';

const properties: INodeProperties[] = new TestNodeTypes().getByNameAndVersion('n8n-nodes-impala.impalaBatchBuilder').description.properties;

const TEMPLATE_FIELDS = ['model', 'systemMessage', 'userMessage', 'extraMessages', 'instructions', 'responsesInput', 'embeddingInput', 'prompt', 'customId'];

const variant = (name: string, source: string) =>
	properties.filter((p) => p.name === name && (p.displayOptions?.show?.source as string[] | undefined)?.includes(source));

test('the {column} syntax is explained once, at the CSV source, and no field expects an error in the preview', () => {
	const withColumnHint = properties.filter((p) => /\{column name\}/.test(p.hint ?? ''));
	assert.deepEqual(withColumnHint.map((p) => p.name), ['binaryPropertyName']);
	assert.deepEqual(withColumnHint[0].displayOptions?.show?.source, ['file']);
	assert.doesNotMatch(JSON.stringify(properties), /preview/, 'no text says an error in the preview is expected');
	for (const name of TEMPLATE_FIELDS) {
		const [file, ...moreFile] = variant(name, 'file');
		const [items, ...moreItems] = variant(name, 'items');
		assert.deepEqual([moreFile, moreItems], [[], []], `${name}: one variant per source`);
		assert.ok(file && items, name);
		assert.equal(file.hint, undefined, `${name} (file): no repeated hint`);
		assert.doesNotMatch(file.placeholder ?? '', /\{\{/, `${name} (file): the placeholder uses {column}`);
		// Both variants are the same field otherwise: a saved value works with either source.
		const { hint: _fileHint, placeholder: _fp, displayOptions: fileShow, ...fileRest } = file;
		const { hint: _itemsHint, placeholder: _ip, displayOptions: itemsShow, ...itemsRest } = items;
		assert.deepEqual(fileRest, itemsRest, name);
		assert.deepEqual({ ...fileShow?.show, source: [] }, { ...itemsShow?.show, source: [] }, name);
	}
});

test('the fields every request needs are marked required', () => {
	for (const name of ['model', 'userMessage', 'responsesInput', 'embeddingInput', 'embeddingFields', 'prompt', 'customId', 'binaryPropertyName']) {
		const fields = properties.filter((p) => p.name === name);
		assert.ok(fields.length > 0, name);
		for (const field of fields) assert.equal(field.required, true, name);
	}
});

test('one options collection per concern, each named for what it holds', () => {
	const collections = properties.filter((p) => p.type === 'collection');
	assert.deepEqual(
		collections.map((c) => [c.name, c.displayName, c.placeholder]),
		[
			['batchOptions', 'Batch Options', 'Add Batch Option'],
			['options', 'Request Options', 'Add Request Option'],
			['fileOptions', 'File Options', 'Add File Option'],
		],
	);
	const names = (c: INodeProperties) => (c.options as INodeProperties[]).map((o) => o.name).sort();
	assert.deepEqual(names(collections[1]), ['additionalBodyFields', 'dimensions', 'encodingFormat', 'maxTokens', 'temperature']);
	assert.deepEqual(names(collections[2]), ['delimiter', 'encoding', 'fileName', 'outputBinaryField']);
});

test('the Generate option of Custom ID describes the IDs it makes', () => {
	const customIdSource = properties.find((p) => p.name === 'customIdSource');
	const generate = customIdSource?.options?.find((o) => 'value' in o && o.value === 'generate') as { name: string; description?: string };
	assert.equal(generate.name, 'Generate');
	assert.match(generate.description ?? '', /row-1, row-2/);
});

test('the subtitle names the chosen mode as the editor shows it', () => {
	const type = 'n8n-nodes-impala.impalaBatchBuilder';
	assert.equal(subtitleOf(type, {}), 'Create Batch', 'the default mode');
	assert.equal(subtitleOf(type, { mode: 'buildJsonl' }), 'Build JSONL Only');
	assert.equal(subtitleOf(type, { mode: 'uploadFile' }), 'Upload File Only');
});
