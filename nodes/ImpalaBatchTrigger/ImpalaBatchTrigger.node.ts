import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import type { ResultOptions } from '../../src/results';
import type { Batch } from '../../src/schemas';
import { getImpalaClient, IMPALA_CREDENTIAL } from '../shared/client';
import { toNodeError } from '../shared/errors';
import type { MetadataPairs } from '../shared/metadata';
import { clientSource, collectBatches, findLatestMatch } from './collect';
import { statusesProperty, triggerProperties } from './description';
import { toOutputItems, type TriggerOutput } from './output';
import { parseBatchIds, parseMetadataPairs, scopeFingerprint, type BatchScope } from './scope';
import { BatchTracker, MAX_WATCHED, readState, statusTime } from './state';
import { statusSubtitleExpression } from './subtitle';

export class ImpalaBatchTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Impala Batch Trigger',
		name: 'impalaBatchTrigger',
		icon: { light: 'file:impala.svg', dark: 'file:impala.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: statusSubtitleExpression(statusesProperty),
		description: 'Starts the workflow when an Impala batch reaches a status, such as completed or failed',
		defaults: { name: 'Impala Batch Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: IMPALA_CREDENTIAL, required: true }],
		properties: triggerProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const node = this.getNode();
		try {
			const settings = readSettings(this);
			const client = await getImpalaClient(this);

			if (this.getMode() === 'manual') {
				// "Fetch Test Event": a sample, never a change to what the active trigger remembers.
				const batch = await findLatestMatch(clientSource(client), settings.scope, settings.statuses);
				if (!batch) {
					throw new NodeOperationError(node, 'No batch in the watched scope has one of the chosen statuses yet', {
						description:
							'Create a batch (or wait for one to reach a chosen status), or widen "Trigger On" or "Watch", then fetch the test event again.',
					});
				}
				const event = { batch, status: batch.status, at: statusTime(batch) };
				return [await toOutputItems(this, client, [event], settings.output, settings.resultOptions)];
			}

			const staticData = this.getWorkflowStaticData('node');
			const scopeKey = scopeFingerprint(settings.scope);
			const tracker = new BatchTracker<Batch>(readState(staticData.state, scopeKey), scopeKey, {
				statuses: settings.statuses,
				includeExisting: settings.includeExisting,
			});
			await collectBatches(clientSource(client), settings.scope, tracker);
			const fired = tracker.firedEvents();
			const items = await toOutputItems(this, client, fired, settings.output, settings.resultOptions);

			// Committed only now that every call succeeded: a failed poll leaves the state as it was,
			// so the next successful poll finds the same events again.
			const { state, dropped } = tracker.nextState();
			if (dropped.length > 0) {
				this.logger.warn(
					`Impala Batch Trigger stopped watching ${dropped.length} unfinished batches (it watches at most the newest ${MAX_WATCHED}): narrow "Watch" to a job or metadata`,
					{ dropped: dropped.slice(0, 20) },
				);
			}
			if (JSON.stringify(staticData.state) !== JSON.stringify(state)) staticData.state = state as unknown as IDataObject;

			if (fired.length > 0) this.logger.debug(`Impala Batch Trigger: ${fired.length} batch events`);
			return items.length > 0 ? [items] : null;
		} catch (error) {
			throw toNodeError(node, error);
		}
	}
}

interface TriggerSettings {
	statuses: string[];
	scope: BatchScope;
	output: TriggerOutput;
	resultOptions: ResultOptions;
	includeExisting: boolean;
}

function readSettings(ctx: IPollFunctions): TriggerSettings {
	const statuses = ctx.getNodeParameter('statuses', []) as string[];
	if (statuses.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Choose at least one status in "Trigger On"');
	}
	const options = ctx.getNodeParameter('options', {}) as { includeExisting?: boolean };
	const output = ctx.getNodeParameter('output', 'batch') as TriggerOutput;
	return {
		statuses,
		scope: readScope(ctx),
		output,
		resultOptions: output === 'results' ? (ctx.getNodeParameter('resultOptions', {}) as ResultOptions) : {},
		includeExisting: options.includeExisting === true,
	};
}

function readScope(ctx: IPollFunctions): BatchScope {
	const kind = ctx.getNodeParameter('scope', 'all') as BatchScope['kind'];
	// A ScopeInputError thrown here becomes a NodeOperationError in poll(), like every other error.
	switch (kind) {
		case 'jobId': {
			const jobId = String(ctx.getNodeParameter('jobId', '')).trim();
			if (!jobId) {
				throw new NodeOperationError(ctx.getNode(), 'Enter the job ID in "Job ID", or choose another "Watch" option');
			}
			return { kind, jobId };
		}
		case 'metadata': {
			const metadata = ctx.getNodeParameter('metadata', {}) as MetadataPairs;
			return { kind, metadata: parseMetadataPairs(metadata.pairs) };
		}
		case 'batchIds':
			return { kind, ids: parseBatchIds(ctx.getNodeParameter('batchIds', '')) };
		default:
			return { kind: 'all' };
	}
}
