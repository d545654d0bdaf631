import { parseArgs } from 'node:util';
import { parseAnswerFault } from './answerFaults';
import { startEmulator } from './server';
import type { EmulatorOptions, EmulatorPace } from './options';

const USAGE = `Usage: npm run emulator -- [options]

  --port N                 port on 127.0.0.1 (default 8080; 0 = any free port)
  --host HOST              interface to listen on (default 127.0.0.1)
  --data-dir DIR           keep files in DIR (default: a temp dir removed on exit)
  --api-key KEY            require Authorization: Bearer KEY on /v1/*
  --require-job-id         reject batches created without job_id
  --no-cancel              answer cancel with 501 like older deployments
  --failing-model NAME     lines with this model go to the error file (default impala-fail)
  --job JOB=MODEL          a known job and its model (repeatable)
  --step-ms N              milliseconds between lifecycle steps (default 50)
  --requests-per-step N    requests answered per in_progress step (default: all)
  --answer-fault SPEC      requests that answer badly (repeatable; first match wins):
                           KIND[:id=PATTERN][:every=N][:retries] with KIND breakSchema
                           (JSON that breaks the request's schema), notJson or fail;
                           PATTERN exact, prefix* or /regexp/; every=N the Nth, 2Nth...
                           request; retries: also in retry batches (metadata retry_of)
                           e.g. --answer-fault breakSchema:every=6 --answer-fault fail:id=row-3
  --help                   show this help
`;

function positiveInt(name: string, raw: string | undefined): number | undefined {
	if (raw === undefined) return undefined;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number (got '${raw}').`);
	return value;
}

export function optionsFromArgs(args: string[]): EmulatorOptions | 'help' {
	const { values } = parseArgs({
		args,
		strict: true,
		options: {
			port: { type: 'string' },
			host: { type: 'string' },
			'data-dir': { type: 'string' },
			'api-key': { type: 'string' },
			'require-job-id': { type: 'boolean' },
			'no-cancel': { type: 'boolean' },
			'failing-model': { type: 'string' },
			job: { type: 'string', multiple: true },
			'step-ms': { type: 'string' },
			'requests-per-step': { type: 'string' },
			'answer-fault': { type: 'string', multiple: true },
			help: { type: 'boolean' },
		},
	});
	if (values.help) return 'help';
	const jobs: Record<string, string> = {};
	for (const job of values.job ?? []) {
		const [id, model] = job.split('=');
		if (!id || !model) throw new Error(`--job must look like job-123=model-name (got '${job}').`);
		jobs[id] = model;
	}
	const pace: EmulatorPace = {
		stepMs: positiveInt('step-ms', values['step-ms']) ?? 50,
		requestsPerStep: positiveInt('requests-per-step', values['requests-per-step']),
	};
	return {
		port: positiveInt('port', values.port) ?? 8080,
		host: values.host,
		dataDir: values['data-dir'],
		apiKey: values['api-key'],
		requireJobId: values['require-job-id'] ?? false,
		cancelSupported: !values['no-cancel'],
		failingModel: values['failing-model'],
		jobs: Object.keys(jobs).length > 0 ? jobs : undefined,
		pace,
		...(values['answer-fault'] ? { answerFaults: values['answer-fault'].map(parseAnswerFault) } : {}),
	};
}

async function main(): Promise<void> {
	let options;
	try {
		options = optionsFromArgs(process.argv.slice(2));
	} catch (error) {
		process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
		process.exitCode = 2;
		return;
	}
	if (options === 'help') {
		process.stdout.write(USAGE);
		return;
	}
	const emu = await startEmulator(options);
	process.stdout.write(`Impala emulator listening on ${emu.url}\n`);
	process.stdout.write(`Use ${emu.url} as the Base URL${options.apiKey ? ' with the API key you gave' : ' (any API key, or none)'}.\n`);
	let stopping = false;
	const stop = () => {
		if (stopping) return;
		stopping = true;
		process.stdout.write('Stopping the emulator...\n');
		emu.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

if (require.main === module) void main();
