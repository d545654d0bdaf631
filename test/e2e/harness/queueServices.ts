import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './ports';
import { killOnExit, stopGroup } from './processes';

// Real Redis and Postgres for n8n's queue mode, from Debian's packages (scripts/e2e/install-queue-services.sh),
// each on a free loopback port with its data in a temporary folder, stopped and removed by stop().

const POSTGRES_USER = 'n8n';
const START_TIMEOUT_MS = 60_000;

/** The newest /usr/lib/postgresql/<version>/bin, where Debian puts initdb and postgres. */
function postgresBinDir(): string {
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root)
		? readdirSync(root).filter((version) => existsSync(path.join(root, version, 'bin', 'postgres')))
		: [];
	const newest = versions.sort((a, b) => Number(a) - Number(b)).pop();
	if (!newest) throw new Error('Postgres is not installed: run scripts/e2e/install-queue-services.sh');
	return path.join(root, newest, 'bin');
}

/** Postgres refuses to run as root: as root, initdb and postgres run as Debian's `postgres` user. */
function postgresIdentity(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined;
	const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
	return { uid: id('-u'), gid: id('-g') };
}

/** A detached service process whose output is kept; resolves once `ready` matches its log. */
async function startService(
	name: string,
	command: string,
	args: string[],
	ready: RegExp,
	identity?: { uid: number; gid: number },
): Promise<{ child: ChildProcess; log: () => string }> {
	const child = spawn(command, args, { cwd: tmpdir(), detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...identity });
	killOnExit.add(child);
	let log = '';
	const onData = (chunk: Buffer) => (log += chunk.toString());
	child.stdout?.on('data', onData);
	child.stderr?.on('data', onData);
	try {
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`${name} did not start in ${START_TIMEOUT_MS / 1000} s\n${log}`)), START_TIMEOUT_MS);
			const check = () => {
				if (ready.test(log)) {
					clearTimeout(timer);
					resolve();
				}
			};
			child.stdout?.on('data', check);
			child.stderr?.on('data', check);
			child.once('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
			child.once('exit', (code, signal) => {
				clearTimeout(timer);
				reject(new Error(`${name} exited with ${code ?? signal}\n${log}`));
			});
		});
	} catch (error) {
		await stopGroup(child, 'SIGKILL');
		throw error;
	}
	return { child, log: () => log };
}

export interface QueueServices {
	/** The env every n8n process of a queue-mode instance needs (queue mode, Redis, Postgres). */
	env: Record<string, string>;
	redisPort: number;
	postgresPort: number;
	stop(): Promise<void>;
}

/** Starts Redis and Postgres on 127.0.0.1 for one queue-mode n8n (main + workers). */
export async function startQueueServices(): Promise<QueueServices> {
	const root = mkdtempSync(path.join(tmpdir(), 'impala-e2e-queue-'));
	// mkdtemp makes it 0700: the `postgres` user has to reach its data folder inside.
	chmodSync(root, 0o755);
	const started: ChildProcess[] = [];
	const stop = async () => {
		// Postgres: SIGINT is its "fast" shutdown; Redis: SIGTERM (no save, persistence is off).
		await Promise.all(started.map((child, index) => stopGroup(child, index === 0 ? 'SIGTERM' : 'SIGINT', 10_000)));
		rmSync(root, { recursive: true, force: true });
	};
	try {
		const redisPort = await freePort();
		const redis = await startService(
			'redis-server',
			'redis-server',
			['--bind', '127.0.0.1', '--port', String(redisPort), '--dir', root, '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
			/Ready to accept connections/,
		);
		started.push(redis.child);

		const bin = postgresBinDir();
		const identity = postgresIdentity();
		const pgDir = path.join(root, 'postgres');
		mkdirSync(pgDir);
		if (identity) chownSync(pgDir, identity.uid, identity.gid);
		const dataDir = path.join(pgDir, 'data');
		try {
			execFileSync(
				path.join(bin, 'initdb'),
				['-D', dataDir, '-U', POSTGRES_USER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
				{ cwd: pgDir, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], ...identity },
			);
		} catch (error) {
			throw new Error(`initdb failed: ${String((error as { stderr?: string }).stderr ?? error)}`);
		}
		const postgresPort = await freePort();
		const postgres = await startService(
			'postgres',
			path.join(bin, 'postgres'),
			// Loopback only, the socket in the run's folder; durability off (a throwaway database).
			['-D', dataDir, '-h', '127.0.0.1', '-p', String(postgresPort), '-k', pgDir,
				'-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
			/database system is ready to accept connections/,
			identity,
		);
		started.push(postgres.child);

		return {
			redisPort,
			postgresPort,
			stop,
			env: {
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: String(redisPort),
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: '127.0.0.1',
				DB_POSTGRESDB_PORT: String(postgresPort),
				DB_POSTGRESDB_DATABASE: 'postgres',
				DB_POSTGRESDB_USER: POSTGRES_USER,
				DB_POSTGRESDB_PASSWORD: '',
			},
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
