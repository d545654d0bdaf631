import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './install';

export const examplesDir = path.join(repoRoot, 'examples');

/** The credential id and name the examples refer to; the e2e imports a credential under them. */
export const EXAMPLE_CREDENTIAL = { id: 'impala-demo', name: 'Impala (local emulator)' } as const;

/**
 * An example workflow ready for `n8n import:workflow`: `__EXAMPLES_DIR__` (and any other token given)
 * replaced, and a stable id derived from its file name (the examples carry none, like an n8n export).
 */
export function loadExample(fileName: string, replace: Record<string, string> = {}): { id: string } & Record<string, unknown> {
	let text = readFileSync(path.join(examplesDir, fileName), 'utf8');
	for (const [token, value] of Object.entries({ __EXAMPLES_DIR__: examplesDir, ...replace })) {
		text = text.split(token).join(value);
	}
	const workflow = JSON.parse(text) as Record<string, unknown>;
	const id = createHash('sha1').update(fileName).digest('hex').slice(0, 16);
	return { ...workflow, id };
}
