import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { INodeProperties } from 'n8n-workflow';
import { subtitleOf, TestNodeTypes } from '../helpers/workflow';

const properties: INodeProperties[] = new TestNodeTypes().getByNameAndVersion('n8n-nodes-impala.impalaBatchBuilder').description.properties;

const CSV_HINT =
	"In a CSV/TSV file, write {{column}} to insert a column; the editor's preview can't see the file's columns, so an error in the preview is expected.";
const TEMPLATE_FIELDS = ['model', 'systemMessage', 'userMessage', 'extraMessages', 'instructions', 'responsesInput', 'embeddingInput', 'prompt', 'customId'];

const variant = (name: string, source: string) =>
	properties.filter((p) => p.name === name && (p.displayOptions?.show?.source as string[] | undefined)?.includes(source));

test('every template field explains {{column}} and the preview error, only when the source is a CSV/TSV file', () => {
	for (const name of TEMPLATE_FIELDS) {
		const [file, ...moreFile] = variant(name, 'file');
		const [items, ...moreItems] = variant(name, 'items');
		assert.deepEqual([moreFile, moreItems], [[], []], `${name}: one variant per source`);
		assert.equal(file?.hint, CSV_HINT, `${name} (file)`);
		assert.ok(items, `${name} (items)`);
		assert.doesNotMatch(`${items.hint ?? ''} ${items.description ?? ''}`, /preview/, `${name} (items)`);
		// Both variants are the same field otherwise: a saved value works with either source.
		const { hint: _fileHint, placeholder: _fp, displayOptions: fileShow, ...fileRest } = file;
		const { hint: _itemsHint, placeholder: _ip, displayOptions: itemsShow, ...itemsRest } = items;
		assert.deepEqual(fileRest, itemsRest, name);
		assert.deepEqual({ ...fileShow?.show, source: [] }, { ...itemsShow?.show, source: [] }, name);
	}
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
