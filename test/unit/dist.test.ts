import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
	n8n: { credentials: string[]; nodes: string[] };
};

// Runs in a plain Node process (no tsx), the way n8n loads the package from dist/.
function loadInPlainNode(file: string): { name: string; icons: string[] } {
	const script = `
		const mod = require(${JSON.stringify(path.join(root, file))});
		const Cls = Object.values(mod).find((v) => typeof v === 'function');
		const inst = new Cls();
		const d = inst.description ?? inst;
		const icon = d.icon ?? inst.icon;
		const icons = typeof icon === 'string' ? [icon] : icon ? [icon.light, icon.dark] : [];
		process.stdout.write(JSON.stringify({ name: d.name ?? inst.name, icons }));
	`;
	return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));
}

test('every credential and node listed in package.json loads from dist/ in plain Node, with its icons', () => {
	const files = [...pkg.n8n.credentials, ...pkg.n8n.nodes];
	assert.ok(pkg.n8n.credentials.includes('dist/credentials/ImpalaApi.credentials.js'));
	for (const file of files) {
		assert.ok(existsSync(path.join(root, file)), `${file} is missing: run npm run build first`);
		const loaded = loadInPlainNode(file);
		assert.ok(loaded.name, `${file} has a name`);
		assert.ok(loaded.icons.length > 0, `${file} has an icon`);
		for (const icon of loaded.icons) {
			const iconPath = path.join(root, path.dirname(file), icon.replace(/^file:/, ''));
			assert.ok(existsSync(iconPath), `${file}: icon ${icon} is copied to dist`);
		}
	}
});

// n8n installs the package with its `dependencies` only: whatever dist/ loads at run time must be in
// them (or be n8n-workflow, the peer, or a Node built-in). Follows requires from the listed entry files.
test('the compiled nodes and credential load nothing outside dependencies, peer dependencies and Node built-ins', () => {
	const { builtinModules } = require('node:module') as typeof import('node:module');
	const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
		dependencies?: Record<string, string>;
		peerDependencies?: Record<string, string>;
	};
	const allowed = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
	const seen = new Set<string>();
	const outside: string[] = [];
	const queue = [...pkg.n8n.credentials, ...pkg.n8n.nodes].map((file) => path.join(root, file));
	while (queue.length > 0) {
		const file = queue.pop()!;
		if (seen.has(file)) continue;
		seen.add(file);
		const source = readFileSync(file, 'utf8');
		for (const [, spec] of source.matchAll(/require\("([^"]+)"\)/g)) {
			if (spec.startsWith('.')) {
				const target = path.resolve(path.dirname(file), spec);
				const resolved = [target, `${target}.js`, path.join(target, 'index.js')].find((c) => existsSync(c) && c.endsWith('.js'));
				assert.ok(resolved, `${path.relative(root, file)} requires ${spec}, which is not in dist/`);
				assert.ok(resolved.startsWith(path.join(root, 'dist')), `${path.relative(root, file)} reaches outside dist/: ${spec}`);
				queue.push(resolved);
				continue;
			}
			const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
			if (spec.startsWith('node:') || builtinModules.includes(name) || allowed.has(name)) continue;
			outside.push(`${path.relative(root, file)} requires "${spec}"`);
		}
	}
	assert.ok(seen.size > 10, 'the walk followed the compiled files');
	assert.deepEqual(outside, []);
});
