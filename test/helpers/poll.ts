import './n8n-env';
import { Container } from '@n8n/di';
import { PollContext, PollTriggerExecutor } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type IWorkflowExecuteAdditionalData,
	type WorkflowActivateMode,
} from 'n8n-workflow';
import { buildAdditionalData, TestNodeTypes } from './workflow';

export const TRIGGER_NODE_NAME = 'Impala Batch Trigger';

export interface PollerOptions {
	/** The trigger node's parameters (defaults fill in the rest, as in n8n). */
	parameters: INodeParameters;
	/** Credential data by type, e.g. `{ impalaApi: { baseUrl: emu.url, apiKey: '' } }`. */
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Static data as n8n saved it (JSON), e.g. from `poller.savedStaticData()` before a restart. */
	staticData?: IDataObject;
	nodeType?: string;
	activation?: WorkflowActivateMode;
	/** Workflow ID (default 'poll-test-workflow'); another ID stands for the same trigger in another process. */
	workflowId?: string;
	/** What n8n's PollContext gives as the poll's time budget (default: n8n's own). */
	pollBudgetMs?: number;
}

export interface PollOutcome {
	/** The items the poll emitted on its first output; empty when it emitted nothing. */
	items: INodeExecutionData[];
	/** The items of every output (the trigger's Summary output is the second). */
	outputs: INodeExecutionData[][];
	/** True when the poll returned items (n8n would start an execution). */
	emitted: boolean;
	/** The error the poll failed with (n8n reports it and keeps the trigger active). */
	error?: Error;
}

/**
 * Runs a polling node the way n8n runs it: n8n-core's real PollContext and PollTriggerExecutor, one
 * workflow whose static data lives on between polls. Static data is "saved" (what survives a restart)
 * only where n8n saves it: after a poll that emitted (its execution saves the workflow) or after a poll
 * that returned nothing (the engine commits the cursor); never after a failed poll.
 */
export class Poller {
	private readonly workflow: Workflow;
	private readonly node: INode;
	private credentials: Record<string, ICredentialDataDecryptedObject>;
	private saved: IDataObject;

	constructor(private readonly options: PollerOptions) {
		this.credentials = options.credentials;
		this.saved = jsonCopy(options.staticData ?? {});
		this.node = {
			id: 'impala-batch-trigger',
			name: TRIGGER_NODE_NAME,
			type: options.nodeType ?? 'n8n-nodes-impala.impalaBatchTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: structuredClone(options.parameters),
			credentials: { impalaApi: { id: 'impala-credential', name: 'Impala account' } },
		};
		this.workflow = new Workflow({
			id: options.workflowId ?? 'poll-test-workflow',
			name: 'poll test',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: new TestNodeTypes(),
			staticData: jsonCopy(this.saved),
		});
	}

	/** One poll. 'trigger': an active workflow's poll; 'manual': the editor's "Fetch Test Event". */
	async poll(mode: 'trigger' | 'manual' = 'trigger'): Promise<PollOutcome> {
		const outcome: PollOutcome = { items: [], outputs: [], emitted: false };
		const persist = () => {
			this.saved = jsonCopy(this.workflow.staticData);
		};
		const context = new PollContext(
			this.workflow,
			this.node,
			this.additionalData(),
			mode,
			mode === 'manual' ? 'manual' : (this.options.activation ?? 'activate'),
			(data) => {
				outcome.items = data[0] ?? [];
				outcome.outputs = data;
				outcome.emitted = true;
				if (mode !== 'manual') persist();
			},
			(error) => {
				outcome.error = error;
			},
			async () => persist(),
			undefined,
			undefined,
			this.options.pollBudgetMs === undefined ? undefined : () => this.options.pollBudgetMs!,
		);
		const run = Container.get(PollTriggerExecutor).create(this.workflow, this.node, context, () => true);
		try {
			await run(mode === 'manual');
		} catch (error) {
			outcome.error = error as Error; // a manual test event throws instead of reporting
		}
		return outcome;
	}

	/** The node's static data as it is in memory now (what the next poll of this process reads). */
	liveStaticData(): IDataObject {
		return jsonCopy(this.workflow.staticData);
	}

	/** The static data n8n would have saved so far (what survives a restart). */
	savedStaticData(): IDataObject {
		return jsonCopy(this.saved);
	}

	/** A new process: new workflow, new node instance, only the saved static data carried over. */
	restart(): Poller {
		return new Poller({ ...this.options, credentials: this.credentials, staticData: this.savedStaticData(), activation: 'init' });
	}

	/** Changes the credential data for the next polls (e.g. a wrong key, a stopped server). */
	setCredentials(credentials: Record<string, ICredentialDataDecryptedObject>): void {
		this.credentials = credentials;
	}

	private additionalData(): IWorkflowExecuteAdditionalData {
		return buildAdditionalData(this.credentials, 'the poll helper');
	}
}

/** Static data as n8n stores it: JSON (n8n's static data objects are Proxies, which structuredClone refuses). */
function jsonCopy(data: IDataObject): IDataObject {
	return JSON.parse(JSON.stringify(data)) as IDataObject;
}
