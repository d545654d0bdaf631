// `n8n-node lint` runs ESLint with this file. It is n8n's own configuration for community nodes
// (`@n8n/node-cli/eslint`: @n8n/eslint-plugin-community-nodes, the older eslint-plugin-n8n-nodes-base
// rule sets for nodes, credentials and package.json, typescript-eslint and import-x), with n8n Cloud
// support off: the package has runtime dependencies (undici, zod, papaparse) and targets self-hosted n8n.
// That is also why package.json's `n8n.strict` is false: strict mode accepts only the unmodified Cloud
// configuration. Tests, benchmarks and scripts are type-checked (tsconfig.test.json), not linted here.
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'bench/**', 'scripts/**', 'examples/**', 'docs/**', '**/*.js'] },
	...configWithoutCloudSupport,
	{
		// The one finding this package keeps, on purpose: undici, zod and papaparse are runtime dependencies
		// (the streamed 200 MB upload and the never-twice retry rules need undici). Shown, not failing.
		files: ['package.json'],
		rules: { '@n8n/community-nodes/no-runtime-dependencies': 'warn' },
	},
	{
		files: ['credentials/**/*.ts', 'nodes/**/*.ts', 'src/**/*.ts'],
		rules: {
			'no-console': 'error',
			// `_`-prefixed names are deliberately unused (e.g. `const { key: _key, ...rest } = value`).
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
			],
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			// Every parameter states its default (the older plugin's rule, stricter than its default level).
			'n8n-nodes-base/node-param-default-missing': 'error',
			// The nodes' execute() hands each item to an operation that honours continueOnFail itself.
			'n8n-nodes-base/node-execute-block-missing-continue-on-fail': 'off',
			// Resource descriptions live in actions/<resource>/<Resource>.resource.ts.
			'n8n-nodes-base/node-resource-description-filename-against-convention': 'off',
		},
	},
	{
		files: ['src/**/*.ts'],
		rules: {
			// src/ is the n8n-free core: it never imports n8n, and nodes/shared/errors.ts maps its errors
			// (ImpalaApiError, row and result-file errors) to NodeApiError / NodeOperationError once, at the
			// node boundary. So n8n's "throw NodeApiError" rule does not apply here.
			'@n8n/community-nodes/require-node-api-error': 'off',
			'no-restricted-imports': ['error', { patterns: ['n8n-workflow', 'n8n-core', '*/nodes/*'] }],
		},
	},
];
