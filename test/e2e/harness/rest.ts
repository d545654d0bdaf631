import type { N8nServer } from './n8nInstance';

export const OWNER = { email: 'owner@example.com', firstName: 'Erin', lastName: 'Owner', password: 'E2e-owner-passw0rd' };

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	mode: string;
	/** success, error, crashed, canceled, new, running, waiting */
	status: string;
}

/** The editor's REST API as the instance owner (created on first use, as the setup screen does). */
export class N8nRest {
	private constructor(
		private readonly server: N8nServer,
		readonly cookie: string,
	) {}

	static async asOwner(server: N8nServer): Promise<N8nRest> {
		const setup = await fetch(`${server.url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		if (!setup.ok && setup.status !== 400) throw new Error(`owner setup: ${setup.status} ${await setup.text()}`);
		const login = await fetch(`${server.url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
		});
		if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
		const cookie = /n8n-auth=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0];
		if (!cookie) throw new Error('login set no n8n-auth cookie');
		return new N8nRest(server, cookie);
	}

	async get<T>(path: string): Promise<T> {
		const response = await fetch(`${this.server.url}/rest${path}`, { headers: { cookie: this.cookie } });
		if (!response.ok) throw new Error(`GET /rest${path}: ${response.status} ${await response.text()}`);
		return ((await response.json()) as { data: T }).data;
	}

	async executions(workflowId: string): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const page = await this.get<{ results: ExecutionSummary[] }>(`/executions?filter=${filter}`);
		return page.results;
	}
}
