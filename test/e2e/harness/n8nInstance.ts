import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { installCommunityPackage } from './communityPackage';
import { cacheDir, n8nInstall, packageTarball, repoRoot } from './install';
import { freePort } from './ports';
import { killGroup, killOnExit, stopGroup } from './processes';

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

export interface N8nInstanceOptions {
	/**
	 * Environment for every n8n process of this instance (CLI, main, workers), over the defaults:
	 * e.g. queue mode's EXECUTIONS_MODE, Redis and Postgres settings.
	 */
	env?: Record<string, string>;
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

	private constructor(private readonly options: N8nInstanceOptions) {
		const runs = path.join(cacheDir, 'runs');
		mkdirSync(runs, { recursive: true });
		this.root = mkdtempSync(path.join(runs, 'run-'));
		this.userFolder = path.join(this.root, 'home');
		this.filesDir = path.join(this.root, 'files');
		mkdirSync(this.filesDir, { recursive: true });
	}

	static create(options: N8nInstanceOptions = {}): N8nInstance {
		const instance = new N8nInstance(options);
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
			...this.options.env,
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

	/** `n8n start` on a free port; resolves once /healthz/readiness answers. */
	async start(): Promise<N8nServer> {
		const port = await freePort();
		return await this.spawnServer(['start'], `http://127.0.0.1:${port}`, { N8N_PORT: String(port) });
	}

	/**
	 * `n8n worker` (queue mode: the instance's env must set EXECUTIONS_MODE=queue and Redis), with its
	 * health server on a free port; resolves once the worker's /healthz/readiness answers.
	 */
	async startWorker(concurrency = 5): Promise<N8nServer> {
		const port = await freePort();
		return await this.spawnServer(['worker', `--concurrency=${concurrency}`], `http://127.0.0.1:${port}`, {
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(port),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		});
	}

	private async spawnServer(args: string[], url: string, extra: Record<string, string>): Promise<N8nServer> {
		// Every n8n process runs its own task-runner broker (Code node): each needs its own port.
		const env = this.env({ ...extra, N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
		// Own process group, so stopping it also stops the task runner it spawned.
		const child = spawn(this.install.nodeBin, [this.install.n8nBin, ...args], { cwd: repoRoot, env, detached: true });
		killOnExit.add(child);
		this.servers.add(child);
		const server = new N8nServer(child, url, `n8n ${args[0]}`);
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

	constructor(
		private readonly child: ChildProcess,
		readonly url: string,
		private readonly what = 'n8n start',
	) {
		child.stdout?.on('data', (chunk: Buffer) => (this.logs += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (this.logs += chunk.toString()));
	}

	get running(): boolean {
		return this.child.exitCode === null && this.child.signalCode === null;
	}

	async waitUntilReady(timeoutMs = 180_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (!this.running) throw new Error(`${this.what} exited with ${this.child.exitCode ?? this.child.signalCode}\n${this.logs}`);
			try {
				const response = await fetch(`${this.url}/healthz/readiness`, { signal: AbortSignal.timeout(5_000) });
				if (response.ok) return;
			} catch {
				// not listening yet
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		throw new Error(`${this.what} did not become ready in ${timeoutMs} ms\n${this.logs}`);
	}

	async stop(): Promise<void> {
		await stopGroup(this.child, 'SIGTERM');
	}
}
