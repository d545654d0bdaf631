import type { INodeProperties } from 'n8n-workflow';
import * as cancel from './cancel.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getResults from './getResults.operation';
import * as retryFailed from './retryFailed.operation';

export { cancel, create, get, getAll, getResults, retryFailed };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['batch'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				description: 'Stop a running batch; answers already written stay readable',
				action: 'Cancel a batch',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Start a batch from an uploaded JSONL input file',
				action: 'Create a batch',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get the status and counts of a batch',
				action: 'Get a batch',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List batches, newest first',
				action: 'Get many batches',
			},
			{
				name: 'Get Results',
				value: 'getResults',
				description: 'Get one item per request with its answer or error, in the order of the input file',
				action: 'Get the results of a batch',
			},
			{
				name: 'Retry Failed Requests',
				value: 'retryFailed',
				description: 'Send again, as a new batch, the requests of a finished batch that failed or got no answer',
				action: 'Retry the failed requests of a batch',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...cancel.description,
	...getResults.description,
	...retryFailed.description,
];
