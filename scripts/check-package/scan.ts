// n8n's community-package scanner (@n8n/scan-community-package), run on this repo and on a tarball.
// Its CLI only takes a registry name, so this calls what the CLI calls: `analyzePackage(dir, patterns)`
// with the two file selections it uses (the source: package.json + nodes/ + credentials/; the
// tarball: every .js + package.json). `analyzePackage` answers pass/fail with a formatted report; to
// tell allowed findings from the rest, the same ESLint run is repeated with the scanner's own
// configuration (`buildScanConfig`) and its own ESLint, which return each finding with its rule.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Finding {
	file: string;
	line: number;
	rule: string;
	message: string;
}

export interface ScanResult {
	/** `analyzePackage`'s own verdict and report. */
	passed: boolean;
	report: string;
	findings: Finding[];
}

interface ScannerModule {
	analyzePackage(dir: string, patterns?: string[]): Promise<{ passed: boolean; message?: string; details?: string }>;
	buildScanConfig(): Promise<unknown>;
	SOURCE_FILE_PATTERNS: string[];
}

interface LintMessage {
	ruleId: string | null;
	line: number;
	message: string;
	severity: number;
}

interface EslintInstance {
	lintFiles(files: string[]): Promise<Array<{ filePath: string; messages: LintMessage[] }>>;
}

/** File selections of the scanner's two legs (`analyzePackageByName`). */
export const TARBALL_PATTERNS = ['**/*.js', 'package.json'];

async function loadScanner(root: string): Promise<{ scanner: ScannerModule; ESLint: new (options: object) => EslintInstance; glob: (p: string[], o: object) => string[] }> {
	const requireHere = createRequire(path.join(root, 'package.json'));
	const scannerFile = requireHere.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
	const scanner = (await import(pathToFileURL(scannerFile).href)) as ScannerModule;
	// The scanner's own ESLint and fast-glob (it pins its versions), resolved from the scanner's folder.
	const requireScanner = createRequire(scannerFile);
	const { ESLint } = (await import(pathToFileURL(requireScanner.resolve('eslint')).href)) as { ESLint: new (options: object) => EslintInstance };
	const glob = requireScanner('fast-glob') as { sync: (p: string[], o: object) => string[] };
	return { scanner, ESLint, glob: glob.sync };
}

export async function scanDirectory(root: string, dir: string, leg: 'source' | 'tarball'): Promise<ScanResult> {
	const { scanner, ESLint, glob } = await loadScanner(root);
	const patterns = leg === 'source' ? scanner.SOURCE_FILE_PATTERNS : TARBALL_PATTERNS;
	const verdict = await scanner.analyzePackage(dir, patterns);
	// The same lint as analyzePackage: its config, no inline config, the same files.
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await scanner.buildScanConfig(),
	});
	const files = glob(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	const results = files.length > 0 ? await eslint.lintFiles(files) : [];
	const findings: Finding[] = [];
	for (const result of results) {
		for (const message of result.messages) {
			if (message.severity < 2) continue;
			findings.push({
				file: path.relative(dir, result.filePath).split(path.sep).join('/'),
				line: message.line,
				rule: message.ruleId ?? '(parse error)',
				message: message.message,
			});
		}
	}
	return { passed: verdict.passed, report: [verdict.message, verdict.details].filter(Boolean).join('\n'), findings };
}
