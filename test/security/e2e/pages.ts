// Page helpers for the security battery: signing in to the inbox, finding a queue row, and a
// customer socket driven from the test. Browser launch, agents and sockets come from the e2e harness.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { SessionResponse } from '../../../protocol';
import { Socket, baseUrl, eventually } from '../../e2e/harness';
export { queueRow } from '../../e2e/harness';
import { postJson } from './scan';

export const PASSWORD = 'switchboard-demo';

/** Sign in through the inbox's form and wait until the inbox socket says we are online. */
export async function signInInbox(page: Page, email: string): Promise<void> {
  await page.goto(`${baseUrl()}/inbox`);
  await page.locator('sb-login input[name=email]').fill(email);
  await page.locator('sb-login input[name=password]').fill(PASSWORD);
  await page.locator('sb-login button[type=submit]').click();
  await eventually(async () => (await page.locator('sb-inbox .presence button[aria-pressed=true]').textContent())?.includes('Online'), 15_000);
}

/** Set the signed-in agent Away, so auto-assignment offers them nothing. */
export async function goAway(page: Page): Promise<void> {
  await page.locator('sb-inbox .presence button', { hasText: 'Away' }).click();
  await expect.poll(() => page.locator('sb-inbox .presence button[aria-pressed=true]').textContent()).toContain('Away');
}


/** A widget session started from the test, as the modem app would (no Origin header). */
export async function startSession(body: Record<string, unknown>): Promise<SessionResponse> {
  const res = await postJson<SessionResponse>('/v1/widget/session', { channel: 'web', ...body });
  if (res.status !== 200) throw new Error(`session: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Open a conversation socket with a socket token and wait for its welcome. */
export async function joinWith(session: { socketUrl: string; socketToken: string }): Promise<Socket> {
  const socket = await Socket.open(session.socketUrl);
  socket.send({ type: 'hello', token: session.socketToken, lastSeq: 0 });
  await socket.next((f) => f.type === 'welcome');
  return socket;
}

/** Send frames that each carry a clientId and wait until every one is acknowledged (an error fails). */
export async function sendAcked(socket: Socket, frames: { type: 'message.send' | 'note.send'; clientId: string; text: string }[]): Promise<void> {
  for (const f of frames) socket.send(f);
  for (const f of frames) {
    const answer = await socket.next<{ type: string; code?: string; message?: string }>(
      (x) => (x.type === 'message.ack' && x.clientId === f.clientId) || (x.type === 'error' && (x.ref === f.clientId || x.clientId === f.clientId)),
      20_000,
    );
    if (answer.type === 'error') throw new Error(`${f.type} ${f.clientId} refused: ${answer.code} ${answer.message}`);
  }
}
