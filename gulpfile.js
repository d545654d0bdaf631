const path = require('path');
const { task, src, dest } = require('gulp');

// tsc compiles only TypeScript; icons and codex files are copied next to the compiled nodes.
task('build:icons', copyAssets);

function copyAssets() {
	const sources = [
		path.resolve('nodes', '**', '*.{png,svg}'),
		path.resolve('nodes', '**', '*.node.json'),
		path.resolve('credentials', '**', '*.{png,svg}'),
	];
	return src(sources, { base: '.', encoding: false }).pipe(dest('dist'));
}
