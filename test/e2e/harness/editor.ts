import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { N8nServer } from './n8nInstance';
import type { N8nRest } from './rest';

/** Debian's Chromium (scripts/e2e/install-chromium.sh); playwright-core never downloads a browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps trying hosts this machine cannot reach.
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** The n8n editor in headless Chromium, logged in as the owner. */
export class Editor {
	private constructor(
		private readonly browser: Browser,
		readonly page: Page,
		private readonly baseUrl: string,
	) {}

	static async open(server: N8nServer, rest: N8nRest): Promise<Editor> {
		const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
		const [name, value] = rest.cookie.split('=');
		await context.addCookies([{ name, value, url: server.url }]);
		const page = await context.newPage();
		page.setDefaultTimeout(30_000);
		return new Editor(browser, page, server.url);
	}

	async openWorkflow(workflowId: string): Promise<void> {
		await this.page.goto(`${this.baseUrl}/workflow/${workflowId}`);
		await this.page.locator('[data-test-id="canvas-node"]').first().waitFor();
		await this.settle();
	}

	canvasNode(nodeName: string): Locator {
		return this.page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`);
	}

	/** The icon of a node on the canvas: its image URL and whether the browser could draw it. */
	async canvasIcon(nodeName: string): Promise<{ src: string; loaded: boolean }> {
		const image = this.canvasNode(nodeName).locator('.n8n-node-icon img');
		await image.waitFor();
		// The callback runs in the browser (an HTMLImageElement); typed structurally, the project has no DOM lib.
		return await image.evaluate((img) => {
			const element = img as unknown as { complete: boolean; naturalWidth: number; getAttribute(name: string): string | null };
			return { src: element.getAttribute('src') ?? '', loaded: element.complete && element.naturalWidth > 0 };
		});
	}

	/** Opens a node's parameters (NDV) by double-clicking it on the canvas. */
	async openNode(nodeName: string): Promise<Locator> {
		await this.canvasNode(nodeName).dblclick();
		const ndv = this.page.locator('[data-test-id="ndv"]');
		await ndv.locator('[data-test-id="parameter-item"]').first().waitFor();
		await this.settle();
		return ndv;
	}

	async closeNode(): Promise<void> {
		const ndv = this.page.locator('[data-test-id="ndv"]');
		await this.page.keyboard.press('Escape');
		try {
			await ndv.waitFor({ state: 'hidden', timeout: 5_000 });
		} catch {
			// Escape went to a field or a dropdown: the NDV's own close button.
			await this.page.locator('[data-test-id="ndv-close-button"]').first().click();
			await ndv.waitFor({ state: 'hidden' });
		}
	}

	/** The names of the parameters the open NDV shows. */
	async visibleParameters(): Promise<string[]> {
		const inputs = this.page.locator('[data-test-id="ndv"] [data-test-id^="parameter-input-"]');
		const ids = await inputs.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-test-id') ?? ''));
		return ids.map((id) => id.replace('parameter-input-', '')).filter((name) => !['field', 'item', 'value'].includes(name));
	}

	/**
	 * Types `text` into a parameter's fixed-value field of the open NDV, as a user would (key by key),
	 * replacing what was there.
	 */
	async typeIntoParameter(name: string, text: string): Promise<void> {
		const parameter = this.page.locator(`[data-test-id="ndv"] [data-test-id="parameter-input-${name}"]`);
		await parameter.scrollIntoViewIfNeeded();
		const field = parameter.locator('textarea, input').first();
		await field.click();
		await field.fill('');
		const lines = text.split('\n');
		for (const [index, line] of lines.entries()) {
			if (index > 0) await this.page.keyboard.press('Shift+Enter');
			await this.page.keyboard.type(line, { delay: 10 });
		}
		// Leave the field, as a user clicking elsewhere would: its focus hints close.
		await field.blur();
		await this.settle();
	}

	/**
	 * What the open NDV shows of expressions: how many fields are in expression mode (inline expression
	 * editors) and the expression previews' texts (n8n shows `[ERROR: ...]` there for a broken one).
	 */
	async expressionState(): Promise<{ expressionFields: number; previews: string[] }> {
		const ndv = this.page.locator('[data-test-id="ndv"]');
		const expressionFields = await ndv.locator('[data-test-id="inline-expression-editor-input"]').count();
		const previews = await ndv
			.locator('[data-test-id="parameter-expression-preview-value"], [data-test-id="inline-expression-editor-output"]')
			.evaluateAll((elements) => elements.map((element) => (element.textContent ?? '').trim()));
		return { expressionFields, previews };
	}

	/** Opens the node creator on a new workflow and searches it; returns the names listed. */
	async searchNodeCreator(text: string): Promise<string[]> {
		await this.page.goto(`${this.baseUrl}/workflow/new`);
		await this.page.locator('[data-test-id="node-creator-plus-button"]').click();
		await this.page.keyboard.type(text);
		await this.settle();
		await this.page.locator('[data-test-id="node-creator-item-name"], [data-test-id="node-creator-no-results"]').first().waitFor();
		return await this.page
			.locator('[data-test-id="node-creator"] [data-test-id="node-creator-item-name"]')
			.evaluateAll((names) => names.map((name) => (name.textContent ?? '').trim()));
	}

	async screenshot(path: string): Promise<void> {
		await this.page.screenshot({ path });
	}

	/** Lets animations and lazy icons finish before looking at the page. */
	private async settle(): Promise<void> {
		await this.page.waitForLoadState('networkidle');
		await this.page.waitForTimeout(800);
	}

	async close(): Promise<void> {
		await this.browser.close();
	}
}
