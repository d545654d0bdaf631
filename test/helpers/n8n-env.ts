import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// n8n-core writes its instance settings (encryption key) into the user folder on first import:
// keep that inside a temp folder, never the developer's ~/.n8n. Must be imported before n8n-core.
if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = mkdtempSync(path.join(tmpdir(), 'n8n-nodes-impala-test-'));
}
process.env.N8N_ENCRYPTION_KEY ??= 'n8n-nodes-impala-tests';
