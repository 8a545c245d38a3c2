// Documents end to end in Chromium: a customer sends a photo from the widget, the agent sees its
// preview in the inbox and answers with a PDF, and the customer opens it through its signed link.
import { describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { CLOCK, baseUrl, composer, conversationIdOf, hasChromium, inboxSignedIn, launcher, newPage, openAndTake, trackConversation } from './harness';

const fixture = inboxSignedIn('boris@northwind.test');
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

/** A real w×h PNG (a colour gradient), so a browser can draw its thumbnail. */
function png(w = 40, h = 30): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rows.set([x * 6, y * 8, 160], y * (w * 3 + 1) + 1 + x * 3);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** A one-page PDF with a line of text, its cross-reference table at the right offsets. */
function onePagePdf(text: string): Buffer {
  const stream = `BT /F1 18 Tf 40 100 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = objects.map((o, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer << /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const PDF = onePagePdf('Number porting form - please sign');

const drawn = (page: Page, selector: string) => page.locator(selector).first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0).catch(() => false);

/** A customer on the demo site who wrote `text`, and the agent who opened and took that chat. */
async function chatTakenByAgent(text: string) {
  const agent = fixture.page();
  const context = await fixture.browser().newContext(CLOCK);
  const { page, errors } = await newPage(context);
  await trackConversation(page);
  await page.goto(`${baseUrl()}/demo/operator/`);
  await launcher(page).click();
  await composer(page).fill(text);
  await composer(page).press('Enter');
  const id = await conversationIdOf(page);
  await openAndTake(agent, id);
  return { agent, context, page, errors, id };
}

describe.skipIf(!hasChromium)('documents, customer → agent → customer', () => {
  it('sends a photo from the widget, shows its preview to the agent, and brings the agent\'s PDF back through a signed link', async () => {
    const { agent, context, page, errors } = await chatTakenByAgent('I want to port my number to you');

    // The customer attaches a photo (the attach button's input) and sends it with a caption.
    await page.locator('sb-panel form.composer input[type=file]').first().setInputFiles({ name: 'passport.png', mimeType: 'image/png', buffer: png() });
    await poll(() => page.locator('sb-panel .picked li').count()).toBe(1);
    await composer(page).fill('Here is my passport');
    await composer(page).press('Enter');
    await poll(() => drawn(page, 'sb-panel sb-file img')).toBe(true);

    // The agent sees the caption and the thumbnail, drawn from its signed link.
    const msg = agent.locator('sb-thread li.msg.customer', { hasText: 'Here is my passport' });
    await poll(() => msg.count()).toBe(1);
    await poll(() => drawn(agent, 'sb-thread li.msg.customer sb-attachment img')).toBe(true);

    // The agent answers with a PDF; the customer's widget shows it and its link opens the file.
    await agent.locator('sb-composer input[type=file]').setInputFiles({ name: 'Porting form.pdf', mimeType: 'application/pdf', buffer: PDF });
    await agent.locator('sb-composer textarea').fill('Please sign this form');
    await agent.locator('sb-composer button[part=send]').click();
    await poll(() => agent.locator('sb-thread li.msg.agent sb-attachment iframe').count()).toBe(1);
    const link = page.locator('sb-panel li.msg.theirs sb-file a');
    await poll(() => link.getAttribute('href')).toMatch(/\/v1\/files\//);
    const res = await page.request.get((await link.getAttribute('href'))!);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    expect(res.headers()['content-disposition']).toMatch(/^inline; filename="Porting form.pdf"/);
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
    expect(Buffer.from(await res.body()).equals(PDF)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets the agent request a passport: the customer answers from the card, the request shows fulfilled, and the agent sees it only after an audited reveal', async () => {
    const { agent, context, page, errors, id } = await chatTakenByAgent('I need a new SIM card');

    await agent.locator('sb-doc-request button[part=button]').click();
    await agent.locator('sb-doc-request select[name=kind]').selectOption('passport');
    await agent.locator('sb-doc-request input[name=note]').fill('The page with your photo');
    await agent.locator('sb-doc-request button[type=submit]').click();

    const card = page.locator('sb-panel li.request');
    await poll(() => card.textContent()).toContain('your passport');
    expect(await card.textContent()).toContain('The page with your photo');
    await card.locator('input[type=file]').setInputFiles({ name: 'passport.png', mimeType: 'image/png', buffer: png() });
    await poll(() => card.locator('.done').count()).toBe(1);
    await poll(() => agent.locator('sb-thread li.line[data-kind=document_received]').count()).toBe(1);

    // Covered for the agent until the reveal, which the server audits before it gives a link.
    const covered = agent.locator('sb-thread li.msg.customer sb-attachment [data-sensitive]');
    await poll(() => covered.count()).toBe(1);
    expect(await agent.locator('sb-thread li.msg.customer sb-attachment img').count()).toBe(0);
    await covered.locator('button', { hasText: 'Reveal' }).click();
    await poll(() => drawn(agent, 'sb-thread li.msg.customer sb-attachment img')).toBe(true);
    // The reveal is audited: the events reach D1 within the projection's lag.
    const cookie = (await agent.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const kinds = async () => ((await (await fetch(`${baseUrl()}/v1/agent/conversations/${id}/events`, { headers: { cookie } })).json()) as { events: { kind: string }[] }).events.map((e) => e.kind);
    await poll(kinds).toEqual(expect.arrayContaining(['document.requested', 'document.received', 'document.revealed']));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets the agent mark a photo already open sensitive: the preview is covered at once and opens again only by an audited reveal', async () => {
    const { agent, context, page, errors, id } = await chatTakenByAgent('Here comes my ID card');
    await page.locator('sb-panel form.composer input[type=file]').first().setInputFiles({ name: 'id-card.png', mimeType: 'image/png', buffer: png() });
    await poll(() => page.locator('sb-panel .picked li').count()).toBe(1);
    await composer(page).fill('My ID card');
    await composer(page).press('Enter');
    const file = agent.locator('sb-thread li.msg.customer sb-attachment');
    await poll(() => drawn(agent, 'sb-thread li.msg.customer sb-attachment img')).toBe(true);

    await file.locator('button', { hasText: 'Mark sensitive' }).click();
    await poll(() => file.locator('[data-sensitive]').count()).toBe(1);
    expect(await file.locator('img').count()).toBe(0);
    await poll(() => agent.locator('sb-thread li.line[data-kind=document_marked_sensitive]').count()).toBe(1);
    // The customer's thread says nothing of it, and their photo stays theirs to see.
    expect(await page.locator('sb-panel li.line[data-kind=document_marked_sensitive]').count()).toBe(0);
    await file.locator('button', { hasText: 'Reveal' }).click();
    await poll(() => drawn(agent, 'sb-thread li.msg.customer sb-attachment img')).toBe(true);
    const cookie = (await agent.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const kinds = async () => ((await (await fetch(`${baseUrl()}/v1/agent/conversations/${id}/events`, { headers: { cookie } })).json()) as { events: { kind: string }[] }).events.map((e) => e.kind);
    await poll(kinds).toEqual(expect.arrayContaining(['document.marked_sensitive', 'document.revealed']));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('takes files dropped onto the panel and pasted into the composer, and sends them in one message', async () => {
    const context = await fixture.browser().newContext(CLOCK);
    const { page, errors } = await newPage(context);
    await page.goto(`${baseUrl()}/demo/operator/`);
    await launcher(page).click();
    await composer(page).fill('My modem label');
    await composer(page).press('Enter');
    const bytes = [...png()];
    // What a person's drop and paste deliver: a DataTransfer holding a File.
    await page.locator('sb-panel section.panel').evaluate((panel, data) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], 'label.png', { type: 'image/png' }));
      panel.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true, composed: true }));
      panel.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true, composed: true }));
    }, bytes);
    await composer(page).evaluate((area, data) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], 'screenshot.png', { type: 'image/png' }));
      area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true, composed: true }));
    }, bytes);
    await poll(() => page.locator('sb-panel .picked li').allTextContents()).toEqual([expect.stringContaining('label.png'), expect.stringContaining('screenshot.png')]);
    await page.locator('sb-panel form.composer button[type=submit]').click();
    await poll(() => page.locator('sb-panel li.msg.mine sb-file img').count()).toBe(2);
    expect(await page.locator('sb-panel .picked li').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('keeps a file that could not be sent across a reload and sends it once the upload works again, exactly once', async () => {
    const { agent, context, page, errors } = await chatTakenByAgent('My contract page follows');
    // The upload endpoint drops every request (a dead mobile link); the socket stays up.
    const uploads = (url: URL) => url.pathname === '/v1/widget/files';
    await page.route(uploads, (route) => route.abort('internetdisconnected'));
    await page.locator('sb-panel form.composer input[type=file]').first().setInputFiles({ name: 'contract.png', mimeType: 'image/png', buffer: png() });
    await composer(page).fill('Signed contract page');
    await composer(page).press('Enter');
    await poll(() => page.locator('sb-panel li.msg.mine .retrying').count()).toBe(1);
    // The bytes are on the device before the reload (IndexedDB, one entry for the one file).
    const kept = () =>
      page.evaluate(async () => {
        const db = await new Promise<IDBDatabase>((res, rej) => {
          const r = indexedDB.open('sb:operator:files', 1);
          r.onupgradeneeded = () => r.result.createObjectStore('files');
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        const n = await new Promise<number>((res) => {
          const q = db.transaction('files').objectStore('files').count();
          q.onsuccess = () => res(q.result);
        });
        db.close();
        return n;
      });
    await poll(kept).toBe(1);

    await page.reload();
    await launcher(page).click();
    // After the reload the file is being sent again, not asked for again.
    await poll(() => page.locator('sb-panel li.msg.mine .retrying').count()).toBe(1);
    expect(await page.locator('sb-panel .file-error').count()).toBe(0);
    await page.unroute(uploads);

    await expect.poll(() => page.locator('sb-panel li.msg.mine sb-file img').count(), { timeout: 30_000 }).toBe(1);
    await poll(kept).toBe(0);
    // A sentinel after it: once the agent has it, every earlier message has arrived.
    await composer(page).fill('Sentinel after the file');
    await composer(page).press('Enter');
    await poll(() => agent.locator('sb-thread li.msg.customer', { hasText: 'Sentinel after the file' }).count()).toBe(1);
    expect(await agent.locator('sb-thread li.msg.customer', { hasText: 'Signed contract page' }).count()).toBe(1);
    expect(await agent.locator('sb-thread li.msg.customer sb-attachment').count()).toBe(1);
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e))).toEqual([]);
    await context.close();
  });
});
