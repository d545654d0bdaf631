import { startEmulator, type Emulator, type EmulatorOptions } from '../../../src/emulator';
import { EXAMPLE_CREDENTIAL } from './examples';
import type { N8nInstance } from './n8nInstance';

export const E2E_API_KEY = 'impala-e2e-key';

/** Starts the emulator on 127.0.0.1 (key required) and imports the examples' credential pointing at it. */
export async function emulatorWithCredential(n8n: N8nInstance, options: EmulatorOptions = {}): Promise<Emulator> {
	const emu = await startEmulator({ port: 0, apiKey: E2E_API_KEY, ...options });
	await n8n.importCredential({
		...EXAMPLE_CREDENTIAL,
		type: 'impalaApi',
		data: { baseUrl: emu.url, apiKey: E2E_API_KEY },
	});
	return emu;
}
