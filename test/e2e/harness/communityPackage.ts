import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cacheDir } from './install';

export const PACKAGE_NAME = 'n8n-nodes-impala';

/**
 * Unpacks the tarball and installs its dependencies the way n8n's own community-package install does
 * (CommunityPackagesService.downloadPackage): dev/peer/optional dependencies dropped, a shallow
 * `npm install` without scripts inside the package folder. Cached per tarball content.
 */
function preparedPackage(tarball: string): string {
	const digest = createHash('sha256').update(readFileSync(tarball)).digest('hex').slice(0, 16);
	const dir = path.join(cacheDir, 'installed', digest, PACKAGE_NAME);
	if (existsSync(path.join(dir, '.done'))) return dir;
	// Only the newest build is kept: older unpacked builds are of no further use.
	const installedRoot = path.join(cacheDir, 'installed');
	if (existsSync(installedRoot)) {
		for (const old of readdirSync(installedRoot)) rmSync(path.join(installedRoot, old), { recursive: true, force: true });
	}
	mkdirSync(dir, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
	const manifestPath = path.join(dir, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...manifest } = JSON.parse(
		readFileSync(manifestPath, 'utf8'),
	);
	void devDependencies, void peerDependencies, void optionalDependencies;
	writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	execFileSync(
		'npm',
		['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow',
			'--ignore-scripts=true', '--package-lock=false', '--loglevel=error'],
		{ cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] },
	);
	writeFileSync(path.join(dir, '.done'), '');
	return dir;
}

/** Installs the package into `<n8nFolder>/nodes`, where n8n loads community packages from. */
export function installCommunityPackage(tarball: string, n8nFolder: string): { version: string } {
	const source = preparedPackage(tarball);
	const nodesDir = path.join(n8nFolder, 'nodes');
	const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	mkdirSync(path.dirname(target), { recursive: true });
	cpSync(source, target, { recursive: true });
	rmSync(path.join(target, '.done'));
	const { version } = JSON.parse(readFileSync(path.join(target, 'package.json'), 'utf8')) as { version: string };
	writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: version } }, null, 2),
	);
	return { version };
}
