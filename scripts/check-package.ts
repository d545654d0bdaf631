// `npm run check:package` (part of `npm run lint`; run after `npm run build`):
// 1. the tarball `npm pack` would publish holds only what the nodes and the credential load
//    (scripts/check-package/publishedFiles.ts);
// 2. n8n's community-package scanner finds nothing in the source (package.json, nodes/, credentials/)
//    or in the unpacked tarball but the findings scripts/check-package/allowed.ts accepts.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isAllowed } from './check-package/allowed';
import { comparePacked, packedFiles } from './check-package/publishedFiles';
import { scanDirectory, type Finding } from './check-package/scan';

const root = path.resolve(__dirname, '..');

function say(line: string): void {
	process.stdout.write(`${line}\n`);
}

function checkTarballFiles(): boolean {
	const packed = packedFiles(root);
	const { unexpected, missing } = comparePacked(root, packed);
	say(`tarball: ${packed.length} files`);
	for (const file of unexpected) say(`  not loaded by any node or the credential, must not be published: ${file}`);
	for (const file of missing) say(`  expected in the tarball, missing: ${file}`);
	return unexpected.length === 0 && missing.length === 0;
}

function unpackTarball(): { dir: string; cleanup: () => void } {
	const work = mkdtempSync(path.join(tmpdir(), 'n8n-nodes-impala-check-'));
	const name = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', work], {
		cwd: root,
		encoding: 'utf8',
	})
		.trim()
		.split('\n')
		.pop()!;
	const dir = path.join(work, 'package');
	mkdirSync(dir);
	execFileSync('tar', ['-xzf', path.join(work, name), '-C', dir, '--strip-components=1']);
	return { dir, cleanup: () => rmSync(work, { recursive: true, force: true }) };
}

function report(leg: 'source' | 'tarball', findings: Finding[]): boolean {
	const refused = findings.filter((f) => !isAllowed(f, leg));
	const allowed = findings.length - refused.length;
	const rules = [...new Set(findings.filter((f) => isAllowed(f, leg)).map((f) => f.rule.replace('@n8n/community-nodes/', '')))];
	say(`scanner, ${leg}: ${findings.length} findings, ${allowed} allowed${rules.length ? ` (${rules.join(', ')})` : ''}, ${refused.length} refused`);
	for (const f of refused) say(`  ${f.file}:${f.line}  ${f.rule}  ${f.message}`);
	return refused.length === 0;
}

async function main(): Promise<void> {
	let ok = checkTarballFiles();
	const source = await scanDirectory(root, root, 'source');
	ok = report('source', source.findings) && ok;
	const tarball = unpackTarball();
	try {
		const scanned = await scanDirectory(root, tarball.dir, 'tarball');
		ok = report('tarball', scanned.findings) && ok;
		// The scanner's own verdict must agree that something was found (the allowed findings at least).
		if (scanned.passed && scanned.findings.length > 0) throw new Error('analyzePackage passed a tarball with findings');
		if (!scanned.passed && scanned.findings.length === 0) {
			say(scanned.report);
			throw new Error('analyzePackage failed the tarball, but the check saw no finding');
		}
	} finally {
		tarball.cleanup();
	}
	if (!ok) {
		process.exitCode = 1;
		say('check:package failed');
		return;
	}
	say('check:package passed');
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exitCode = 1;
});
