// `npm run bench`: each benchmark in its own Node process, so one's memory does not colour another's.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const BENCHES = ['builder.ts', 'results.ts', 'upload-download.ts', 'trigger.ts'];
const only = process.argv.slice(2);
let failed = 0;
for (const file of BENCHES) {
	if (only.length && !only.some((name) => file.startsWith(name))) continue;
	const full = path.join(__dirname, file);
	if (!existsSync(full)) continue;
	process.stdout.write(`\n## ${file}\n`);
	const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', full], { stdio: 'inherit' });
	if (result.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
