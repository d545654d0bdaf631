import type { INodeProperties } from 'n8n-workflow';
import { TERMINAL_BATCH_STATUSES } from '../../src/schemas';
import { jobIdField, optionsCollection, resultOptions } from '../shared/descriptions';
import { metadataField } from '../shared/metadata';
import { retryResultOptions } from './retry';

export const statusesProperty: INodeProperties = {
	displayName: 'Trigger On',
	name: 'statuses',
	type: 'multiOptions',
	required: true,
	options: [
		{ name: 'Cancelled', value: 'cancelled', description: 'The batch was cancelled; it may hold partial results' },
		{ name: 'Cancelling', value: 'cancelling', description: 'A cancel was asked for and is under way' },
		{ name: 'Completed', value: 'completed', description: 'Done: the results can be read (some requests may still have failed)' },
		{ name: 'Expired', value: 'expired', description: 'The batch ran out of time; it may hold partial results' },
		{ name: 'Failed', value: 'failed', description: 'Impala rejected the input file; the batch has no results' },
		{ name: 'Finalizing', value: 'finalizing', description: 'All requests ran; the output files are being written' },
		{ name: 'In Progress', value: 'in_progress', description: 'Impala started processing the requests' },
		{ name: 'Validating', value: 'validating', description: 'The batch was created and its input is being checked' },
	],
	default: [...TERMINAL_BATCH_STATUSES],
	description:
		'The statuses that start the workflow. A batch starts it once for each chosen status it reaches, even one it passed through between two checks. By default, every status a batch can end in.',
};

export const triggerProperties: INodeProperties[] = [
	statusesProperty,
	{
		displayName: 'Watch',
		name: 'scope',
		type: 'options',
		options: [
			{ name: 'All Batches', value: 'all', description: 'Every batch of this API key' },
			{ name: 'Batches of a Job', value: 'jobId', description: 'Only batches created with a given job ID' },
			{
				name: 'Batches With Metadata',
				value: 'metadata',
				description: 'Only batches whose metadata has all the given key/value pairs',
			},
			{ name: 'Specific Batches', value: 'batchIds', description: 'Only the batches whose IDs you list' },
		],
		default: 'all',
	},
	jobIdField({
		required: true,
		description: 'The job ID the batches were created with (found in the Impala console)',
		displayOptions: { show: { scope: ['jobId'] } },
	}),
	metadataField({
		placeholder: 'Add Pair',
		description: 'A batch is watched when its metadata has every one of these pairs (exact match)',
		displayOptions: { show: { scope: ['metadata'] } },
	}),
	{
		displayName: 'Batch IDs',
		name: 'batchIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. batch-abc123, batch-def456',
		description: 'The batches to watch, separated by commas, spaces or new lines (at most 100)',
		displayOptions: { show: { scope: ['batchIds'] } },
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'Batch',
				value: 'batch',
				description: 'One item per event: the batch as Impala returns it, plus event_status (the status that started the workflow)',
			},
			{
				name: 'Results',
				value: 'results',
				description:
					"One item per request of the batch, like the Impala node's Get Results. A batch without results (failed, not finished, or its files expired) gives one item saying why.",
			},
		],
		default: 'batch',
	},
	optionsCollection([...resultOptions, ...retryResultOptions], {
		displayName: 'Result Options',
		name: 'resultOptions',
		displayOptions: { show: { output: ['results'] } },
	}),
	optionsCollection([
		{
			displayName: 'Include Batches That Already Match',
			name: 'includeExisting',
			type: 'boolean',
			default: false,
			description:
				'Whether the first poll after activation also starts the workflow for batches that are already in a chosen status. When off, the first poll only records them, and only later changes start the workflow.',
		},
	]),
];
