import { N8nInstance } from '/work/main/test/e2e/harness/n8nInstance';
import { N8nRest } from '/work/main/test/e2e/harness/rest';
(async () => {
	const n8n = N8nInstance.create();
	const server = await n8n.start();
	try {
		const rest = await N8nRest.asOwner(server);
		const r = await fetch(`${server.url}/types/nodes.json`, { headers: { cookie: rest.cookie } });
		const text = await r.text();
		const types = JSON.parse(text);
		const arr = Array.isArray(types) ? types : Object.values(types);
		console.log(r.status, arr.length);
		for (const t of arr.filter((x: any) => /impala/i.test(x.name))) console.log(t.name, JSON.stringify(t.codex), JSON.stringify(t.icon), t.hidden);
		const ai = arr.filter((x: any) => x.codex?.categories?.includes("AI")).slice(0, 5).map((x: any) => x.name + " " + JSON.stringify(x.codex.subcategories)); console.log(ai);
		const code = arr.find((x: any) => x.name === 'n8n-nodes-base.code');
		console.log(Object.keys(code), JSON.stringify(code.codex));
	} finally {
		await server.stop();
		await n8n.dispose();
	}
})();
