import { NodeOperationError, sleep, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import type { ImpalaClient } from '../../../src/client';
import { waitForBatch } from '../../../src/batches';
import type { Batch } from '../../../src/schemas';

/** A smaller interval (e.g. 0 from an expression, which bypasses minValue) would poll Impala non-stop. */
const MIN_POLL_INTERVAL_SECONDS = 1;

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
			typeOptions: { minValue: MIN_POLL_INTERVAL_SECONDS },
			description: 'Time between two checks of the batch (at least 1 second)',
			displayOptions: { show: { ...show, waitForCompletion: [true] } },
		},
	];
}

export interface WaitSettings {
	maxWaitMinutes: number;
	pollIntervalSeconds: number;
}

/** The Wait for Completion settings, read (and checked) before anything is sent; undefined when not waiting. */
export function readWaitSettings(this: IExecuteFunctions, itemIndex: number): WaitSettings | undefined {
	if (!this.getNodeParameter('waitForCompletion', itemIndex, false)) return undefined;
	return {
		maxWaitMinutes: this.getNodeParameter('maxWaitMinutes', itemIndex, 10) as number,
		pollIntervalSeconds: pollIntervalOf.call(this, itemIndex),
	};
}

/** Waits when the user asked for it (`settings` from `readWaitSettings`); otherwise returns the batch unchanged. */
export async function waitIfAsked(
	this: IExecuteFunctions,
	client: ImpalaClient,
	batch: Batch,
	itemIndex: number,
	settings: WaitSettings | undefined = readWaitSettings.call(this, itemIndex),
): Promise<Batch> {
	if (!settings) return batch;
	const { maxWaitMinutes, pollIntervalSeconds } = settings;
	const result = await waitForBatch(client, batch, {
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

/** The poll interval in seconds, raised to the minimum when smaller; anything not a number is an error. */
function pollIntervalOf(this: IExecuteFunctions, itemIndex: number): number {
	const value = Number(this.getNodeParameter('pollIntervalSeconds', itemIndex, 15));
	if (!Number.isFinite(value)) {
		throw new NodeOperationError(this.getNode(), '"Poll Interval (Seconds)" is not a number', {
			itemIndex,
			description: `Set "Poll Interval (Seconds)" to a number of seconds, at least ${MIN_POLL_INTERVAL_SECONDS}.`,
		});
	}
	if (value < MIN_POLL_INTERVAL_SECONDS) {
		this.logger.warn(`Impala: "Poll Interval (Seconds)" ${value} is below the minimum; using ${MIN_POLL_INTERVAL_SECONDS} second`);
		return MIN_POLL_INTERVAL_SECONDS;
	}
	return value;
}
