import { after, before } from 'node:test';
import { ImpalaClient } from '../../src/client';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator';
import { startChaosProxy, type ChaosProxy } from './chaosProxy';

export interface ChaosFixture {
	emu: Emulator;
	/** The chaos proxy in front of `emu`: clients under test talk to `proxy.url`. */
	proxy: ChaosProxy;
	/** A client straight to the emulator, to check what really happened there. */
	direct: ImpalaClient;
}

/**
 * An emulator behind a chaos proxy for the enclosing `describe` (started before its tests, closed after).
 * Its fields are set once the `before` hook has run: read them inside tests, not at definition time.
 */
export function emulatorBehindChaosProxy(options: Partial<EmulatorOptions> = { pace: 'manual' }): ChaosFixture {
	const fixture = {} as ChaosFixture;
	before(async () => {
		fixture.emu = await startEmulator({ port: 0, ...options });
		fixture.proxy = await startChaosProxy({ target: fixture.emu.url });
		fixture.direct = new ImpalaClient({ baseUrl: fixture.emu.url });
	});
	after(async () => {
		await fixture.proxy?.close();
		await fixture.emu?.close();
	});
	return fixture;
}
