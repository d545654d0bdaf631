import { NodeOperationError, sleep, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import type { ImpalaClient } from '../../../src/client';
import { waitForBatch } from '../../../src/batches';
import type { Batch } from '../../../src/schemas';

/** "Wait for Completion" and its settings, shared by Batch -> Create and Batch -> Get. */
export function waitProperties(operation: string): INodeProperties[] {
	const show = { resource: ['batch'], operation: [operation] };
	return [
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: false,
			description: 'Whether to keep checking the batch until it is completed, failed, expired or cancelled',
			hint: 'This keeps the execution running. For batches that take longer than a few minutes, end the workflow here and start another one with the Impala Batch Trigger.',
			displayOptions: { show },
		},
		{
			displayName: 'Max Wait (Minutes)',
			name: 'maxWaitMinutes',
			type: 'number',
			default: 10,
			typeOptions: { minValue: 0 },
			description: 'How long to wait before giving up with an error (the batch keeps running on Impala)',
			displayOptions: { show: { ...show, waitForCompletion: [true] } },
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollIntervalSeconds',
			type: 'number',
			default: 15,
			typeOptions: { minValue: 0 },
			description: 'Time between two checks of the batch',
			displayOptions: { show: { ...show, waitForCompletion: [true] } },
		},
	];
}

/** Waits when the user asked for it; otherwise returns the batch unchanged. */
export async function waitIfAsked(
	this: IExecuteFunctions,
	client: ImpalaClient,
	batch: Batch,
	itemIndex: number,
): Promise<Batch> {
	if (!this.getNodeParameter('waitForCompletion', itemIndex, false)) return batch;
	const maxWaitMinutes = this.getNodeParameter('maxWaitMinutes', itemIndex, 10) as number;
	const pollIntervalSeconds = this.getNodeParameter('pollIntervalSeconds', itemIndex, 15) as number;
	const result = await waitForBatch(client, batch.id, {
		maxWaitMs: maxWaitMinutes * 60_000,
		pollIntervalMs: pollIntervalSeconds * 1000,
		signal: this.getExecutionCancelSignal(),
		sleep,
		onPoll: (polled) => this.logger.debug(`Impala batch ${polled.id} is ${polled.status}`),
	});
	if (!result.finished) {
		throw new NodeOperationError(
			this.getNode(),
			`Batch ${batch.id} is still "${result.batch.status}" after ${maxWaitMinutes} minutes of waiting`,
			{
				itemIndex,
				description:
					'The batch keeps running on Impala. Raise "Max Wait (Minutes)", or use the Impala Batch Trigger to start a workflow when the batch ends.',
			},
		);
	}
	return result.batch;
}
