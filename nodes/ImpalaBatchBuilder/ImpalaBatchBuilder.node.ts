import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { CREDENTIAL_TEST, impalaApiTest } from '../shared/credentialTest';
import { optionNames } from '../shared/descriptions';
import { builderProperties, MODES } from './description';
import { modeProperty } from './description/source';
import { runBuilder } from './run';

export class ImpalaBatchBuilder implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Impala Batch Builder',
		name: 'impalaBatchBuilder',
		icon: { light: 'file:impala.svg', dark: 'file:impala.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: `={{(${JSON.stringify(optionNames(modeProperty))})[$parameter["mode"]]}}`,
		description:
			'Turn items or the rows of a CSV/TSV file into an Impala batch: every row is checked before anything is uploaded',
		defaults: { name: 'Impala Batch Builder' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				// Literal names (IMPALA_CREDENTIAL, CREDENTIAL_TEST): n8n's credential-test-required rule reads literals only.
				name: 'impalaApi',
				required: true,
				testedBy: 'impalaApiTest',
				displayOptions: { show: { mode: [MODES.createBatch, MODES.uploadFile] } },
			},
		],
		properties: builderProperties,
	};

	methods = { credentialTest: { [CREDENTIAL_TEST]: impalaApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await runBuilder(this)];
	}
}
