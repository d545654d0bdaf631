// What the published tarball may hold: the compiled files the nodes and the credential load (followed
// from package.json's `n8n` entries through their relative requires), the icons they name, the codex
// file of each node, and package.json, README.md, LICENSE, CHANGELOG.md. Nothing else: no emulator,
// test, bench, script, docs, screenshot, source map or declaration.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const PACKAGE_DOCS = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'];

interface Manifest {
	n8n: { credentials: string[]; nodes: string[] };
}

/** Files (relative to `root`, `/`-separated) that dist/ must publish, from the built dist/. */
export function expectedPublishedFiles(root: string): { files: Set<string>; typeOnly: Set<string> } {
	const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
	const files = new Set(PACKAGE_DOCS);
	const typeOnly = new Set<string>();
	const seen = new Set<string>();
	const queue = [...manifest.n8n.credentials, ...manifest.n8n.nodes].map((file) => path.join(root, file));
	for (const node of manifest.n8n.nodes) {
		const codex = path.join(root, node.replace(/\.js$/, '.json'));
		if (existsSync(codex)) files.add(relative(root, codex));
	}
	while (queue.length > 0) {
		const file = queue.pop()!;
		if (seen.has(file)) continue;
		seen.add(file);
		if (!existsSync(file)) throw new Error(`${relative(root, file)} is missing: run npm run build first`);
		files.add(relative(root, file));
		const source = readFileSync(file, 'utf8');
		for (const [, spec] of source.matchAll(/require\("(\.[^"]+)"\)/g)) {
			const target = path.resolve(path.dirname(file), spec);
			const resolved = [`${target}.js`, path.join(target, 'index.js'), target].find((c) => c.endsWith('.js') && existsSync(c));
			if (resolved) queue.push(resolved);
		}
		for (const [, icon] of source.matchAll(/["']file:([^"']+)["']/g)) {
			files.add(relative(root, path.resolve(path.dirname(file), icon)));
		}
	}
	// tsc emits an empty module for a file that only declares types; nothing requires it.
	for (const file of listFiles(path.join(root, 'dist'))) {
		const rel = relative(root, file);
		if (!files.has(rel) && file.endsWith('.js') && isEmptyModule(readFileSync(file, 'utf8'))) typeOnly.add(rel);
	}
	return { files, typeOnly };
}

/** The files `npm pack` would publish, from `npm pack --dry-run --json`. */
export function packedFiles(root: string): string[] {
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: root,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const [report] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
	return report.files.map((f) => f.path).sort();
}

/** Compares the tarball's list with what the nodes load: unexpected and missing files. */
export function comparePacked(root: string, packed: string[]): { unexpected: string[]; missing: string[] } {
	const { files, typeOnly } = expectedPublishedFiles(root);
	const unexpected = packed.filter((f) => !files.has(f) && !typeOnly.has(f));
	const missing = [...files].filter((f) => !packed.includes(f)).sort();
	return { unexpected, missing };
}

function isEmptyModule(source: string): boolean {
	const code = source
		.replace(/"use strict";/, '')
		.replace(/Object\.defineProperty\(exports, "__esModule", \{ value: true \}\);/, '')
		.trim();
	return code === '';
}

function listFiles(dir: string): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => path.join(entry.parentPath, entry.name));
}

function relative(root: string, file: string): string {
	return path.relative(root, file).split(path.sep).join('/');
}
