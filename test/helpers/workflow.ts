import './n8n-env';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { readFileSync } from 'node:fs';
import { ImpalaApi } from '../../credentials/ImpalaApi.credentials';
import { TestCredentialsHelper } from './credentials-helper';
import { Code } from './stand-ins/Code.node';
import { ExtractFromFile } from './stand-ins/ExtractFromFile.node';
import { ManualTrigger } from './stand-ins/ManualTrigger.node';
import { NoOp } from './stand-ins/NoOp.node';
import { ReadWriteFile } from './stand-ins/ReadWriteFile.node';
import { StickyNote } from './stand-ins/StickyNote.node';

type AnyNodeType = INodeType | IVersionedNodeType;

/* eslint-disable @typescript-eslint/no-require-imports */
// Our nodes are loaded on first use, so a workflow that does not use a node does not need it to compile.
const NODE_FACTORIES: Record<string, () => AnyNodeType> = {
	'n8n-nodes-base.manualTrigger': () => new ManualTrigger(),
	'n8n-nodes-base.noOp': () => new NoOp(),
	'n8n-nodes-base.code': () => new Code(),
	'n8n-nodes-base.readWriteFile': () => new ReadWriteFile(),
	'n8n-nodes-base.extractFromFile': () => new ExtractFromFile(),
	'n8n-nodes-base.stickyNote': () => new StickyNote(),
	'n8n-nodes-impala.impala': () => new (require('../../nodes/Impala/Impala.node.ts').Impala)(),
	'n8n-nodes-impala.impalaBatchBuilder': () =>
		new (require('../../nodes/ImpalaBatchBuilder/ImpalaBatchBuilder.node.ts').ImpalaBatchBuilder)(),
	'n8n-nodes-impala.impalaBatchTrigger': () =>
		new (require('../../nodes/ImpalaBatchTrigger/ImpalaBatchTrigger.node.ts').ImpalaBatchTrigger)(),
};

const CREDENTIAL_TYPES: Record<string, ICredentialType> = { impalaApi: new ImpalaApi() };

export class TestNodeTypes implements INodeTypes {
	private readonly loaded = new Map<string, AnyNodeType>();

	getByName(type: string): AnyNodeType {
		let nodeType = this.loaded.get(type);
		if (!nodeType) {
			const factory = NODE_FACTORIES[type];
			if (!factory) throw new Error(`The test runner does not know node type "${type}"`);
			nodeType = factory();
			this.loaded.set(type, nodeType);
		}
		return nodeType;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes() {
		return {};
	}
}

export interface RunWorkflowOptions {
	/** Credential data by type, e.g. `{ impalaApi: { baseUrl: emu.url, apiKey: '' } }`. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Replaces `{{placeholder}}`-style tokens in the workflow JSON text before it runs, e.g. a file path. */
	replace?: Record<string, string>;
	/** Items the start node receives (default one empty item). */
	triggerItems?: INodeExecutionData[];
	signal?: AbortSignal;
	/** Called when a node starts and when it has finished (with its first output's item count). */
	onNodeStart?: (nodeName: string) => void;
	onNodeEnd?: (nodeName: string, itemCount: number, error?: string) => void;
}

export function loadWorkflowFile(filePath: string, replace: Record<string, string> = {}): IWorkflowBase {
	let text = readFileSync(filePath, 'utf8');
	for (const [token, value] of Object.entries(replace)) text = text.split(token).join(value);
	return JSON.parse(text) as IWorkflowBase;
}

/** Runs a workflow with n8n-core's real WorkflowExecute, our real node and credential classes. */
export async function runWorkflow(
	workflowData: Pick<IWorkflowBase, 'nodes' | 'connections'> & Partial<IWorkflowBase>,
	options: RunWorkflowOptions = {},
): Promise<IRun> {
	const nodeTypes = new TestNodeTypes();
	const workflow = new Workflow({
		id: workflowData.id ?? 'test-workflow',
		name: workflowData.name ?? 'test',
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		settings: workflowData.settings,
		staticData: workflowData.staticData as IDataObject | undefined,
		active: false,
		nodeTypes,
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
		id: workflow.id,
		name: workflow.name ?? 'test',
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: workflowData.nodes,
		connections: workflowData.connections,
	} as IWorkflowBase);
	let resolveFinished!: (run: IRun) => void;
	const finished = new Promise<IRun>((resolve) => (resolveFinished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveFinished(run));
	const { onNodeStart, onNodeEnd } = options;
	if (onNodeStart) hooks.addHandler('nodeExecuteBefore', (nodeName) => onNodeStart(nodeName));
	if (onNodeEnd) {
		hooks.addHandler('nodeExecuteAfter', (nodeName, taskData) =>
			onNodeEnd(nodeName, taskData.data?.main?.[0]?.length ?? 0, taskData.error?.message),
		);
	}

	const additionalData = { ...buildAdditionalData(options.credentials ?? {}, 'the test runner'), hooks, executionId: 'test-execution' };

	const startNode = workflow.getStartNode();
	if (!startNode) throw new Error('The workflow has no start node');
	const runExecutionData: IRunExecutionData = {
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [
				{ node: startNode, data: { main: [options.triggerItems ?? [{ json: {} }]] }, source: null },
			],
		},
	} as unknown as IRunExecutionData;

	const execution = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	const running = execution.processRunExecutionData(workflow);
	options.signal?.addEventListener('abort', () => running.cancel(), { once: true });
	await running;
	return await finished;
}

/**
 * What n8n-core needs around an execution, with our credential types: shared by `runWorkflow` and the
 * poll helper. `runner` names the helper in the errors of what it does not support.
 */
export function buildAdditionalData(
	credentials: Record<string, ICredentialDataDecryptedObject>,
	runner: string,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new TestCredentialsHelper(credentials, CREDENTIAL_TYPES),
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formBaseUrl: '',
		formWaitingBaseUrl: '',
		formTestBaseUrl: '',
		webhookBaseUrl: '',
		webhookWaitingBaseUrl: '',
		webhookTestBaseUrl: '',
		mcpBaseUrl: '',
		mcpTestBaseUrl: '',
		variables: {},
		logAiEvent: () => {},
		executeWorkflow: async () => {
			throw new Error(`Sub-workflows are not supported by ${runner}`);
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: async () => {
			throw new Error(`Task runners are not supported by ${runner}`);
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** The items a node produced on one of its outputs (last run of the node). */
export function nodeOutput(run: IRun, nodeName: string, outputIndex = 0): INodeExecutionData[] {
	const runs = run.data.resultData.runData[nodeName];
	if (!runs || runs.length === 0) {
		const error = run.data.resultData.error;
		throw new Error(`Node "${nodeName}" did not run${error ? `: ${error.message}` : ''}`);
	}
	const last = runs[runs.length - 1];
	if (last.error) throw new Error(`Node "${nodeName}" failed: ${last.error.message}`);
	return last.data?.main?.[outputIndex] ?? [];
}

/** The error a node ended with, if any. */
export function nodeError(run: IRun, nodeName: string) {
	const runs = run.data.resultData.runData[nodeName];
	return runs?.[runs.length - 1]?.error ?? run.data.resultData.error;
}

/** A node's canvas subtitle as the editor shows it: the node's defaults filled in, the expression evaluated. */
export function subtitleOf(type: string, parameters: INode['parameters']): unknown {
	const nodeTypes = new TestNodeTypes();
	const description = nodeTypes.getByNameAndVersion(type).description;
	const node: INode = { id: '1', name: description.defaults.name ?? type, type, typeVersion: 1, position: [0, 0], parameters };
	node.parameters = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description) ?? {};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(node, description.subtitle, 'internal', {});
}
