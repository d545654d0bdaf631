import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Editor } from './editor';
import { emulatorWithCredential } from './emulatorCredential';
import { loadExample } from './examples';
import { N8nInstance } from './n8nInstance';
import { N8nRest } from './rest';

export interface NodeView {
	/** Screenshot file name under the output folder. */
	file: string;
	workflow: string;
	nodeName: string;
	nodeType: string;
	icon: { src: string; loaded: boolean };
	parameters: string[];
	/** After typing the CSV template (Batch Builder only): fields in expression mode and previews shown. */
	typedTemplate?: { parameter: string; text: string; expressionFields: number; previews: string[] };
}

export interface EditorTour {
	canvasFile: string;
	creatorFile: string;
	/** Names the node creator lists when searching "Impala". */
	creatorResults: string[];
	nodes: NodeView[];
}

/** A CSV column template typed into the Batch Builder, as the README's example writes it. */
export const TYPED_TEMPLATE = { parameter: 'userMessage', text: '{review}\n\n(Product: {product}, rated {rating}/5)' };

const VIEWS = [
	{ file: 'impala-batch-builder.png', workflow: 'spreadsheet-to-batch.workflow.json', nodeName: 'Impala Batch Builder', type: TYPED_TEMPLATE },
	{ file: 'impala-node.png', workflow: 'spreadsheet-to-batch.workflow.json', nodeName: 'Wait for Batch' },
	{ file: 'impala-batch-trigger.png', workflow: 'batch-trigger-write-back.workflow.json', nodeName: 'Impala Batch Trigger' },
];

/**
 * Opens the real n8n editor with our package installed, shows the examples on the canvas, opens each
 * of our nodes and the node creator, and saves a screenshot of each into `outDir`.
 */
export async function tourEditor(outDir: string): Promise<EditorTour> {
	mkdirSync(outDir, { recursive: true });
	const n8n = N8nInstance.create();
	const emu = await emulatorWithCredential(n8n);
	let editor: Editor | undefined;
	try {
		const workflows = new Map<string, string>();
		for (const file of new Set(VIEWS.map((view) => view.workflow))) {
			const workflow = loadExample(file, { __OUTPUT_DIR__: n8n.filesDir });
			workflows.set(file, await n8n.importWorkflow(workflow));
		}
		const server = await n8n.start();
		try {
			editor = await Editor.open(server, await N8nRest.asOwner(server));
			const canvasFile = 'canvas-spreadsheet-to-batch.png';
			await editor.openWorkflow(workflows.get('spreadsheet-to-batch.workflow.json') as string);
			await editor.screenshot(path.join(outDir, canvasFile));

			const nodes: NodeView[] = [];
			for (const view of VIEWS) {
				await editor.openWorkflow(workflows.get(view.workflow) as string);
				const nodeType = (await editor.canvasNode(view.nodeName).getAttribute('data-node-type')) ?? '';
				const icon = await editor.canvasIcon(view.nodeName);
				await editor.openNode(view.nodeName);
				const parameters = await editor.visibleParameters();
				let typedTemplate: NodeView['typedTemplate'];
				if ('type' in view && view.type) {
					await editor.typeIntoParameter(view.type.parameter, view.type.text);
					typedTemplate = { ...view.type, ...(await editor.expressionState()) };
				}
				await editor.screenshot(path.join(outDir, view.file));
				await editor.closeNode();
				nodes.push({ file: view.file, workflow: view.workflow, nodeName: view.nodeName, nodeType, icon, parameters, typedTemplate });
			}

			const creatorFile = 'node-creator.png';
			const creatorResults = await editor.searchNodeCreator('Impala');
			await editor.screenshot(path.join(outDir, creatorFile));
			if (process.env.E2E_DUMP_HTML) writeFileSync(path.join(outDir, 'node-creator.html'), await editor.page.content());
			return { canvasFile, creatorFile, creatorResults, nodes };
		} finally {
			await editor?.close();
			await server.stop();
		}
	} finally {
		await emu.close();
		await n8n.dispose();
	}
}
