import { chromium } from 'playwright-core';
import { N8nInstance } from '/work/main/test/e2e/harness/n8nInstance';
import { N8nRest } from '/work/main/test/e2e/harness/rest';
import { emulatorWithCredential } from '/work/main/test/e2e/harness/emulatorCredential';
import { loadExample } from '/work/main/test/e2e/harness/examples';
(async () => {
	const n8n = N8nInstance.create();
	const emu = await emulatorWithCredential(n8n);
	const wf = loadExample('spreadsheet-to-batch.workflow.json');
	await n8n.importWorkflow(wf);
	const server = await n8n.start();
	const rest = await N8nRest.asOwner(server);
	const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
	try {
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
		const [name, value] = rest.cookie.split('=');
		await context.addCookies([{ name, value, url: server.url }]);
		const page = await context.newPage();
		page.on('console', (m) => { if (m.type() === 'error') console.log('console:', m.text().slice(0, 200)); });
		await page.goto(`${server.url}/workflow/${wf.id}`);
		await page.locator('[data-test-id="canvas-node"][data-node-name="Impala Batch Builder"]').waitFor();
		console.log(await page.locator('[data-test-id="canvas-node"][data-node-name="Impala Batch Builder"] .n8n-node-icon img').evaluate((img: any) => [img.complete, img.naturalWidth]));
		await page.locator('[data-test-id="canvas-node"][data-node-name="Impala Batch Builder"]').dblclick();
		await page.waitForTimeout(3000);
		await page.screenshot({ path: '/tmp/e2etry/shot2.png' });
		require('fs').writeFileSync('/tmp/e2etry/shot2.html', await page.content());
		await page.keyboard.press('Escape');
		await page.waitForTimeout(1000);
		await page.locator('[data-test-id="node-creator-plus-button"]').click();
		await page.waitForTimeout(1000);
		await page.keyboard.type('Impala');
		await page.waitForTimeout(2000);
		await page.screenshot({ path: '/tmp/e2etry/shot3.png' });
		require('fs').writeFileSync('/tmp/e2etry/shot3.html', await page.content());
	} finally {
		await browser.close();
		await server.stop();
		await emu.close();
		await n8n.dispose();
	}
})();
