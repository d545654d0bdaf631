// The scanner findings this package accepts, each with its reason. Anything else fails the check:
// no restricted globals anywhere, no finding in nodes/ or credentials/, no other import.
import type { Finding } from './scan';

const NO_RUNTIME_DEPENDENCIES = '@n8n/community-nodes/no-runtime-dependencies';
const NO_RESTRICTED_IMPORTS = '@n8n/community-nodes/no-restricted-imports';

/**
 * Imports of the n8n-free core (dist/src/) that n8n Cloud's rule refuses. The package targets
 * self-hosted n8n and says so; every module here is needed by what the nodes do.
 */
export const CORE_IMPORTS: Record<string, string> = {
	undici: 'the HTTP client: streamed 200 MB uploads, timeouts, the never-twice retry rules, proxies',
	papaparse: 'CSV/TSV rows for the Batch Builder',
	ajv: 'checking JSON Schemas (Response Format) and the answers that must follow them',
	'js-tiktoken/lite': "the Batch Builder's token estimate (a real tokenizer, loaded only when it is needed)",
	'js-tiktoken/ranks/o200k_base': "the Batch Builder's token estimate: the o200k_base encoding",
	'js-tiktoken/ranks/cl100k_base': "the Batch Builder's token estimate: the cl100k_base encoding",
	'node:stream': 'streamed uploads, downloads and result files (nothing held whole in memory)',
	'node:stream/promises': 'waiting for a streamed download to finish',
	'node:events': "waiting for a stream's drain while writing the spool",
	'node:readline': 'reading result files line by line',
	'node:buffer': 'checking that CSV bytes are valid UTF-8',
	'node:fs': "the Builder's spool: request lines past a memory threshold go to a temp file, read back for the upload",
	'node:fs/promises': "the Builder's spool: creating and removing its temp folder",
	'node:os': "the Builder's spool: the system's temp folder",
	'node:path': "the Builder's spool: the temp file's path",
	'node:timers': "the client's whole-call deadline and stall timers (imported, not the restricted globals)",
	'node:timers/promises': 'waits between retries and polls, and SliceClock yielding to the event loop',
	'node:perf_hooks': "SliceClock's clock (how long a loop has held the event loop)",
	'node:process': 'HTTP_PROXY / HTTPS_PROXY / NO_PROXY from the environment (imported, not the restricted global)',
	'node:diagnostics_channel': 'telling a request that never connected from one that was sent (repeat safety)',
	'node:http': "HTTP status texts in the client's error messages",
};

export function isAllowed(finding: Finding, leg: 'source' | 'tarball'): boolean {
	if (finding.rule === NO_RUNTIME_DEPENDENCIES && finding.file === 'package.json') return true;
	if (leg === 'tarball' && finding.rule === NO_RESTRICTED_IMPORTS && finding.file.startsWith('dist/src/')) {
		const module = /of '([^']+)' is not allowed/.exec(finding.message)?.[1];
		return module !== undefined && module in CORE_IMPORTS;
	}
	return false;
}
