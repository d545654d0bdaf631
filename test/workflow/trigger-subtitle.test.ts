import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NodeHelpers, Workflow, type INode, type INodePropertyOptions, type INodeTypeDescription } from 'n8n-workflow';
import { TestNodeTypes } from '../helpers/workflow';

const nodeTypes = new TestNodeTypes();
const description: INodeTypeDescription = nodeTypes.getByNameAndVersion('n8n-nodes-impala.impalaBatchTrigger').description;

/** The subtitle as the editor shows it on the canvas, with the node's defaults filled in as the editor does. */
function subtitleFor(parameters: INode['parameters']) {
	const node: INode = { id: '1', name: 'Impala Batch Trigger', type: 'n8n-nodes-impala.impalaBatchTrigger', typeVersion: 1, position: [0, 0], parameters };
	node.parameters = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description) ?? {};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(node, description.subtitle, 'internal', {});
}

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
