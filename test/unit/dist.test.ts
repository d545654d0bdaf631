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
