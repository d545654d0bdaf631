import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Import this before anything that loads n8n-core, which reads these variables once.
// n8n-core writes its settings into N8N_USER_FOLDER: give the demo its own temp folder (removed at the
// end) instead of the user's ~/.n8n.
const created = process.env.N8N_USER_FOLDER ? undefined : mkdtempSync(path.join(tmpdir(), 'impala-demo-n8n-'));
if (created) process.env.N8N_USER_FOLDER = created;
// n8n's own logger would print a failing node's error and stack between the progress lines; the demo
// reports failures itself.
process.env.N8N_LOG_LEVEL ??= 'silent';

/** Removes the folder made above (a folder the caller passed in is left alone). */
export function removeDemoUserFolder(): void {
	if (created) rmSync(created, { recursive: true, force: true });
}
