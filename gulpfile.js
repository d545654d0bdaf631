const path = require('path');
const { task, src, dest } = require('gulp');

// tsc compiles the TypeScript and emits the codex files (`*.node.json`, listed in tsconfig.json's
// `include`), as `n8n-node build` does; this copies the icons next to the compiled nodes and credential.
// Only nodes/ and credentials/: nothing else (docs, screenshots, tests) belongs in dist/.
task('build:icons', copyIcons);

function copyIcons() {
	const sources = [path.resolve('nodes', '**', '*.{png,svg}'), path.resolve('credentials', '**', '*.{png,svg}')];
	return src(sources, { base: '.', encoding: false }).pipe(dest('dist'));
}
