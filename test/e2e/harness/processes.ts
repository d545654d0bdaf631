import type { ChildProcess } from 'node:child_process';

/** Processes still running when the test process exits (a failed assertion, Ctrl-C) are killed with it. */
export const killOnExit = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of killOnExit) killGroup(child, 'SIGKILL');
});

/** Signals a process started with `detached: true` and everything it spawned (its process group). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

/** Stops a detached process: `signal` to its group, SIGKILL after `graceMs`; resolves once it has exited. */
export async function stopGroup(child: ChildProcess, signal: NodeJS.Signals, graceMs = 20_000): Promise<void> {
	if (child.exitCode === null && child.signalCode === null) {
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		killGroup(child, signal);
		const killer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
		await exited;
		clearTimeout(killer);
	}
	killGroup(child, 'SIGKILL');
	killOnExit.delete(child);
}
