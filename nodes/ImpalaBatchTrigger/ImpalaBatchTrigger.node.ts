import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import type { Batch } from '../../src/schemas';
import {
	BatchTracker,
	beginPoll,
	clientSource,
	collectBatches,
	encodeState,
	findLatestMatch,
	FIRST_POLL_MAX_BATCHES,
	readState,
	scopeFingerprint,
	statusTime,
	triggerKey,
} from '../../src/trigger';
import { getImpalaClient } from '../shared/client';
import { CREDENTIAL_TEST, impalaApiTest } from '../shared/credentialTest';
import { toNodeError } from '../shared/errors';
import { statusesProperty, triggerProperties } from './description';
import { toOutputs, triggerOutputs, watchOverflowItem } from './output';
import { readSettings } from './settings';
import { statusSubtitleExpression } from './subtitle';

/** How long one poll may hold the trigger when n8n does not say (its default poll budget). */
const DEFAULT_POLL_BUDGET_MS = 5 * 60_000;

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
		outputs: `={{(${triggerOutputs})($parameter)}}`,
		// Literal names (IMPALA_CREDENTIAL, CREDENTIAL_TEST): n8n's credential-test-required rule reads literals only.
		credentials: [{ name: 'impalaApi', required: true, testedBy: 'impalaApiTest' }],
		properties: triggerProperties,
	};

	methods = { credentialTest: { [CREDENTIAL_TEST]: impalaApiTest } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		if (this.getMode() === 'manual') return await testEvent(this);
		const node = this.getNode();
		const staticData = this.getWorkflowStaticData('node');
		// One poll at a time: n8n does not wait for a slow poll before starting the next.
		const budgetMs = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : DEFAULT_POLL_BUDGET_MS;
		const ticket = beginPoll(triggerKey(this.getWorkflow().id, node.id, node.name), staticData, budgetMs);
		if (!ticket) {
			this.logger.debug('Impala Batch Trigger: the previous poll is still running; this one is skipped');
			return null;
		}
		try {
			const settings = readSettings(this);
			const client = await getImpalaClient(this);
			const scopeKey = scopeFingerprint(settings.scope);
			const tracker = new BatchTracker<Batch>(readState(staticData.state, scopeKey), scopeKey, {
				statuses: settings.statuses,
				includeExisting: settings.includeExisting,
			});
			const { lookBackReached } = await collectBatches(clientSource(client), settings.scope, tracker);
			if (lookBackReached) {
				this.logger.warn(
					`Impala Batch Trigger: the first poll looked back ${FIRST_POLL_MAX_BATCHES} batches; older ones count as history and are not watched`,
				);
			}
			const fired = tracker.firedEvents();
			const outputs = await toOutputs(this, client, fired, settings.output, settings.resultSettings);
			const items = outputs[0];

			if (!ticket.stillOwned()) {
				// Ran past its time (n8n's poll budget): another poll, maybe in another process, may have taken over and reports these events.
				this.logger.warn('Impala Batch Trigger: a poll ran past its time and was taken over; its events come from the next poll');
				return null;
			}
			// Committed only now that every call succeeded: a failed poll leaves the state as it was,
			// so the next successful poll finds the same events again.
			const { state, dropped } = tracker.nextState();
			const stored = encodeState(state);
			if (JSON.stringify(staticData.state) !== JSON.stringify(stored)) staticData.state = stored as unknown as IDataObject;
			if (dropped.length > 0) {
				this.logger.warn(`Impala Batch Trigger: the watch list is full; it stopped watching ${dropped.length} batches`, {
					unwatched: dropped.slice(0, 20),
				});
				items.push(watchOverflowItem(dropped));
			}
			if (fired.length > 0) this.logger.debug(`Impala Batch Trigger: ${fired.length} batch events`);
			return outputs.some((output) => output.length > 0) ? outputs : null;
		} catch (error) {
			throw toNodeError(node, error);
		} finally {
			ticket.release();
		}
	}
}

/** "Fetch Test Event": a sample, never a change to what the active trigger remembers. */
async function testEvent(ctx: IPollFunctions): Promise<INodeExecutionData[][]> {
	const node = ctx.getNode();
	try {
		const settings = readSettings(ctx);
		const client = await getImpalaClient(ctx);
		const batch = await findLatestMatch(clientSource(client), settings.scope, settings.statuses);
		if (!batch) {
			throw new NodeOperationError(node, 'No batch in the watched scope has one of the chosen statuses yet', {
				description:
					'Create a batch (or wait for one to reach a chosen status), or widen "Trigger On" or "Watch", then fetch the test event again.',
			});
		}
		const event = { batch, status: batch.status, at: statusTime(batch) };
		return await toOutputs(ctx, client, [event], settings.output, settings.resultSettings);
	} catch (error) {
		throw toNodeError(node, error);
	}
}
