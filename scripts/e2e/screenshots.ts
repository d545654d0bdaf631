// `npm run screenshots`: regenerates .github/screenshots/*.png from the real n8n editor (see scripts/e2e/README.md).
import path from 'node:path';
import { tourEditor } from '../../test/e2e/harness/editorTour';

async function main(): Promise<void> {
	const outDir = path.resolve(__dirname, '../../.github/screenshots');
	const tour = await tourEditor(outDir);
	const files = [tour.canvasFile, ...tour.nodes.map((node) => node.file), tour.creatorFile];
	for (const file of files) process.stdout.write(`wrote ${path.relative(process.cwd(), path.join(outDir, file))}\n`);
	for (const node of tour.nodes) {
		process.stdout.write(`${node.nodeName} (${node.nodeType}): icon ${node.icon.loaded ? 'shown' : 'MISSING'}; fields: ${node.parameters.join(', ')}\n`);
		if (node.typedTemplate) {
			const { parameter, text, expressionFields, previews } = node.typedTemplate;
			process.stdout.write(`  typed ${JSON.stringify(text)} into ${parameter}: ${expressionFields} field(s) in expression mode; previews: ${JSON.stringify(previews)}\n`);
		}
	}
	process.stdout.write(`node creator, search "Impala": ${tour.creatorResults.join(' | ') || 'NO RESULTS'}\n`);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exitCode = 1;
});
