import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { CREDENTIAL_TEST, impalaApiTest } from '../shared/credentialTest';
import * as batch from './actions/batch/Batch.resource';
import * as file from './actions/file/File.resource';
import { configuredOutputs } from './actions/outputs';
import { router } from './actions/router';
import { subtitleExpression } from './actions/subtitle';
import { listSearch } from './methods';

const resource: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Batch', value: 'batch' },
		{ name: 'File', value: 'file' },
	],
	default: 'batch',
};

const properties: INodeProperties[] = [resource, ...batch.description, ...file.description];

export class Impala implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Impala',
		name: 'impala',
		icon: { light: 'file:impala.svg', dark: 'file:impala.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: subtitleExpression(resource, properties),
		description:
			'Run LLM batches on Impala: create, watch and cancel batches, manage files, and get the answers joined back to their rows',
		defaults: { name: 'Impala' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{(${configuredOutputs})($parameter)}}`,
		// Literal names (IMPALA_CREDENTIAL, CREDENTIAL_TEST): n8n's credential-test-required rule reads literals only.
		credentials: [{ name: 'impalaApi', required: true, testedBy: 'impalaApiTest' }],
		properties,
	};

	methods = { listSearch, credentialTest: { [CREDENTIAL_TEST]: impalaApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
