import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { INode, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';
import { subtitleOf, TestNodeTypes } from '../helpers/workflow';

const description: INodeTypeDescription = new TestNodeTypes().getByNameAndVersion('n8n-nodes-impala.impalaBatchTrigger').description;

const subtitleFor = (parameters: INode['parameters']) => subtitleOf('n8n-nodes-impala.impalaBatchTrigger', parameters);

test('the trigger subtitle names the chosen statuses as the editor shows them', () => {
	assert.equal(subtitleFor({ statuses: ['completed', 'in_progress'] }), 'On Completed, In Progress');
	assert.equal(subtitleFor({}), 'On Completed, Failed, Expired, Cancelled', 'the default: every status a batch can end in');

	const statuses = description.properties.find((p) => p.name === 'statuses');
	const options = (statuses?.options ?? []) as INodePropertyOptions[];
	assert.equal(options.length, 8);
	for (const option of options) {
		assert.equal(subtitleFor({ statuses: [option.value] }), `On ${option.name}`);
	}
	assert.equal(
		subtitleFor({ statuses: options.map((option) => option.value) as string[] }),
		`On ${options.map((option) => option.name).join(', ')}`,
	);
});

test('the trigger subtitle is empty with no status chosen, and shows an unknown status as it is', () => {
	assert.equal(subtitleFor({ statuses: [] }), '');
	assert.equal(subtitleFor({ statuses: ['failed', 'paused'] }), 'On Failed, paused');
});
