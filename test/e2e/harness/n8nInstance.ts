import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { installCommunityPackage } from './communityPackage';
import { cacheDir, n8nInstall, packageTarball, repoRoot } from './install';
import { freePort } from './ports';

export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

export interface N8nExecution {
	status: string;
	finished: boolean;
	data: {
		resultData: {
			runData: Record<string, Array<{ error?: { message: string }; data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> } }>>;
			error?: { message: string; description?: string };
			lastNodeExecuted?: string;
		};
	};
}

export interface N8nCredential {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

const CLI_TIMEOUT_MS = 5 * 60_000;

/** Servers still running when the test process exits (a failed assertion, Ctrl-C) are killed with it. */
const killOnExit = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of killOnExit) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

/**
 * One isolated n8n "installation" for a test file: its own user folder (sqlite DB, encryption key,
 * community packages) under the e2e cache, the package installed from its `npm pack` tarball.
 */
export class N8nInstance {
	readonly install = n8nInstall();
	readonly root: string;
	readonly userFolder: string;
	/** Folder the workflows may read and write (N8N_RESTRICT_FILE_ACCESS_TO), with the examples folder. */
	readonly filesDir: string;
	private readonly servers = new Set<ChildProcess>();

	private constructor() {
		const runs = path.join(cacheDir, 'runs');
		mkdirSync(runs, { recursive: true });
		this.root = mkdtempSync(path.join(runs, 'run-'));
		this.userFolder = path.join(this.root, 'home');
		this.filesDir = path.join(this.root, 'files');
		mkdirSync(this.filesDir, { recursive: true });
	}

	static create(): N8nInstance {
		const instance = new N8nInstance();
		installCommunityPackage(packageTarball(), path.join(instance.userFolder, '.n8n'));
		return instance;
	}

	env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
		const base: NodeJS.ProcessEnv = {};
		for (const key of ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR']) if (process.env[key]) base[key] = process.env[key];
		return {
			...base,
			PATH: `${path.dirname(this.install.nodeBin)}:${process.env.PATH ?? ''}`,
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: 'n8n-nodes-impala-e2e',
			DB_TYPE: 'sqlite',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			// Keeps n8n from asking api.n8n.io for its verified community packages list (no internet here).
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_RESTRICT_FILE_ACCESS_TO: `${path.join(repoRoot, 'examples')};${this.filesDir}`,
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_SECURE_COOKIE: 'false',
			N8N_LOG_LEVEL: 'info',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
			...extra,
		};
	}

	/** Runs the n8n CLI on Node 24 from the repo root (example file paths are relative to it). */
	async cli(args: string[]): Promise<CliResult> {
		const env = this.env({ N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
		return await new Promise((resolve, reject) => {
			const child = spawn(this.install.nodeBin, [this.install.n8nBin, ...args], { cwd: repoRoot, env });
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
			child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
			const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
			child.on('error', reject);
			child.on('close', (code) => {
				clearTimeout(timer);
				resolve({ code, stdout, stderr });
			});
		});
	}

	async cliOk(args: string[]): Promise<CliResult> {
		const result = await this.cli(args);
		if (result.code !== 0) {
			throw new Error(`n8n ${args.join(' ')} exited with ${result.code}\n${result.stdout}\n${result.stderr}`);
		}
		return result;
	}

	async importCredential(credential: N8nCredential): Promise<void> {
		const file = path.join(this.root, `credential-${credential.id}.json`);
		writeFileSync(file, JSON.stringify([credential]));
		await this.cliOk(['import:credentials', `--input=${file}`]);
	}

	/** Imports a workflow object (ids must be set); returns its id. */
	async importWorkflow(workflow: { id: string } & Record<string, unknown>): Promise<string> {
		const file = path.join(this.root, `workflow-${workflow.id}.json`);
		writeFileSync(file, JSON.stringify(workflow));
		await this.cliOk(['import:workflow', `--input=${file}`]);
		return workflow.id;
	}

	/** `n8n execute --id --rawOutput`: the execution n8n printed (logs before it are skipped). */
	async execute(workflowId: string): Promise<N8nExecution> {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput']);
		const lines = result.stdout.split('\n');
		const start = lines.indexOf('{');
		if (start === -1) {
			throw new Error(`n8n execute printed no execution (exit ${result.code})\n${result.stdout}\n${result.stderr}`);
		}
		const end = lines.lastIndexOf('}');
		return JSON.parse(lines.slice(start, end + 1).join('\n')) as N8nExecution;
	}

	async publish(workflowId: string): Promise<void> {
		await this.cliOk(['publish:workflow', `--id=${workflowId}`]);
	}

	/** `n8n start` on a free port; resolves once /healthz answers. */
	async start(): Promise<N8nServer> {
		const port = await freePort();
		const env = this.env({ N8N_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
		// Own process group, so stopping it also stops the task runner it spawned.
		const child = spawn(this.install.nodeBin, [this.install.n8nBin, 'start'], { cwd: repoRoot, env, detached: true });
		killOnExit.add(child);
		this.servers.add(child);
		const server = new N8nServer(child, `http://127.0.0.1:${port}`);
		try {
			await server.waitUntilReady();
		} catch (error) {
			await server.stop();
			throw error;
		}
		return server;
	}

	async dispose(): Promise<void> {
		for (const child of this.servers) killGroup(child, 'SIGKILL');
		if (!process.env.E2E_KEEP_RUNS) rmSync(this.root, { recursive: true, force: true });
	}
}

export class N8nServer {
	logs = '';
	private readonly exited: Promise<void>;

	constructor(
		private readonly child: ChildProcess,
		readonly url: string,
	) {
		child.stdout?.on('data', (chunk: Buffer) => (this.logs += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (this.logs += chunk.toString()));
		this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
	}

	async waitUntilReady(timeoutMs = 180_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.child.exitCode !== null) throw new Error(`n8n start exited with ${this.child.exitCode}\n${this.logs}`);
			try {
				const response = await fetch(`${this.url}/healthz/readiness`, { signal: AbortSignal.timeout(5_000) });
				if (response.ok) return;
			} catch {
				// not listening yet
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		throw new Error(`n8n did not become ready in ${timeoutMs} ms\n${this.logs}`);
	}

	async stop(): Promise<void> {
		if (this.child.exitCode === null && this.child.signalCode === null) {
			killGroup(this.child, 'SIGTERM');
			const killer = setTimeout(() => killGroup(this.child, 'SIGKILL'), 20_000);
			await this.exited;
			clearTimeout(killer);
		}
		killGroup(this.child, 'SIGKILL');
		killOnExit.delete(this.child);
	}
}
