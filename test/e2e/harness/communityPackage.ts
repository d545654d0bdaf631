import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cacheDir, n8nInstall } from './install';

export const PACKAGE_NAME = 'n8n-nodes-impala';

/**
 * The README's manual install, word for word, run in an n8n user folder's `nodes` folder:
 * `npm init -y` when the folder has no package.json yet, then `npm install <tarball>`.
 * scripts/e2e/README.md quotes these commands; keep the three in step.
 */
export const DOCUMENTED_INSTALL = {
	init: ['init', '-y'],
	install: (tarball: string) => ['install', tarball],
} as const;

export interface InstalledPackage {
	name: string;
	version: string;
	/** Folder relative to the `nodes` folder, e.g. node_modules/n8n-nodes-impala/node_modules/zod. */
	where: string;
}

export interface DocumentedInstallResult {
	/** `process.version` of the Node that ran npm. */
	node: string;
	npm: string;
	ms: number;
	/** Every package under `nodes/node_modules`, nested ones included. */
	packages: InstalledPackage[];
}

/** Every package folder under `dir/node_modules`, recursively (scoped and nested ones included). */
export function listInstalled(dir: string, relative = ''): InstalledPackage[] {
	const modules = path.join(dir, 'node_modules');
	if (!existsSync(modules)) return [];
	const found: InstalledPackage[] = [];
	const visit = (folder: string, rel: string) => {
		const manifest = path.join(folder, 'package.json');
		if (existsSync(manifest)) {
			const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; version: string };
			found.push({ name, version, where: rel });
		}
		found.push(...listInstalled(folder, rel));
	};
	for (const entry of readdirSync(modules)) {
		if (entry.startsWith('.')) continue;
		if (entry.startsWith('@')) {
			for (const scoped of readdirSync(path.join(modules, entry))) {
				visit(path.join(modules, entry, scoped), path.join(relative, 'node_modules', entry, scoped));
			}
		} else {
			visit(path.join(modules, entry), path.join(relative, 'node_modules', entry));
		}
	}
	return found;
}

/**
 * Runs the documented install of `tarball` into `nodesDir` with npm running on the Node whose
 * binary is in `nodeBinDir` (npm's `#!/usr/bin/env node` takes the first `node` on PATH).
 */
export function documentedInstall(tarball: string, nodesDir: string, nodeBinDir: string): DocumentedInstallResult {
	mkdirSync(nodesDir, { recursive: true });
	const env = { ...process.env, PATH: `${nodeBinDir}:${process.env.PATH ?? ''}` };
	const npm = (args: readonly string[]) =>
		execFileSync('npm', [...args], { cwd: nodesDir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	const versions = JSON.parse(npm(['version', '--json'])) as { node?: string; npm?: string };
	const started = Date.now();
	if (!existsSync(path.join(nodesDir, 'package.json'))) npm(DOCUMENTED_INSTALL.init);
	try {
		npm(DOCUMENTED_INSTALL.install(tarball));
	} catch (error) {
		const { stdout, stderr } = error as { stdout?: string; stderr?: string };
		throw new Error(`npm install ${tarball} failed on Node ${versions.node}\n${stdout ?? ''}\n${stderr ?? ''}`);
	}
	return { node: `v${versions.node}`, npm: versions.npm ?? '', ms: Date.now() - started, packages: listInstalled(nodesDir) };
}

/** The documented install with n8n's Node, done once per tarball content and copied into each run. */
function preparedNodesFolder(tarball: string): string {
	const digest = createHash('sha256').update(readFileSync(tarball)).digest('hex').slice(0, 16);
	const dir = path.join(cacheDir, 'installed', digest, 'nodes');
	if (existsSync(path.join(dir, '.done'))) return dir;
	// Only the newest build is kept: older installs are of no further use.
	const installedRoot = path.join(cacheDir, 'installed');
	if (existsSync(installedRoot)) {
		for (const old of readdirSync(installedRoot)) rmSync(path.join(installedRoot, old), { recursive: true, force: true });
	}
	documentedInstall(tarball, dir, path.dirname(n8nInstall().nodeBin));
	writeFileSync(path.join(dir, '.done'), '');
	return dir;
}

/** Installs the package into `<n8nFolder>/nodes`, where n8n loads community packages from. */
export function installCommunityPackage(tarball: string, n8nFolder: string): { version: string } {
	const nodesDir = path.join(n8nFolder, 'nodes');
	cpSync(preparedNodesFolder(tarball), nodesDir, { recursive: true });
	rmSync(path.join(nodesDir, '.done'));
	const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	const { version } = JSON.parse(readFileSync(path.join(target, 'package.json'), 'utf8')) as { version: string };
	return { version };
}
