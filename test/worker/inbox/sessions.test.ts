// Signing out, or a session running out, closes that session's sockets — the inbox's and every
// conversation's — within seconds, as disabling an agent does; the agent's other sessions stay.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../../worker/auth/crypto';
import { Client, InboxClient, OPERATOR, agentSocketToken, api, login, seed, session } from '../../helpers';

beforeAll(seed);

const anna = () => OPERATOR.agents.find((a) => a.name.startsWith('Anna'))!;
const tokenOf = (cookie: string) => cookie.replace(/^sb_session=/, '').split(';')[0]!;

describe('session end closes sockets', () => {
  it('logout closes that session’s inbox and conversation sockets, not another session’s', async () => {
    const [gone, stays] = [await login(anna().email), await login(anna().email)];
    const s = await session(OPERATOR.key, 'web');
    const { client: customer } = await Client.join(s.conversationId, s.socketToken);
    const { inbox: goneInbox } = await InboxClient.open(gone);
    const { inbox: staysInbox } = await InboxClient.open(stays);
    const { client: goneChat } = await Client.join(s.conversationId, await agentSocketToken(gone, s.conversationId));
    const { client: staysChat } = await Client.join(s.conversationId, await agentSocketToken(stays, s.conversationId));

    expect((await api('/v1/agent/logout', { method: 'POST', cookie: gone })).status).toBe(200);
    expect((await goneInbox.closedWith(5000)).code).toBe(4401);
    expect((await goneChat.closedWith(5000)).code).toBe(4401);
    // The other session still works on both sockets: a message sent now is acknowledged.
    expect(staysInbox.closed).toBeNull();
    expect(await staysChat.say('still here')).toBeGreaterThan(0);
    expect((await api('/v1/agent/me', { cookie: gone })).status).toBe(401);
    customer.close();
    staysChat.close();
    await staysInbox.close();
  });

  it('a session that expires closes its sockets when it ends', async () => {
    const cookie = await login(anna().email);
    // This session ends in two seconds (a shift's end, brought forward).
    const endsAt = Date.now() + 2000;
    await env.DB.prepare('UPDATE agent_sessions SET expires_at = ? WHERE token_hash = ?').bind(endsAt, await sha256(tokenOf(cookie))).run();
    const s = await session(OPERATOR.key, 'web');
    const { inbox } = await InboxClient.open(cookie);
    const { client: chat } = await Client.join(s.conversationId, await agentSocketToken(cookie, s.conversationId));
    expect((await inbox.closedWith(5000)).code).toBe(4401);
    expect((await chat.closedWith(5000)).code).toBe(4401);
    expect(Date.now()).toBeGreaterThanOrEqual(endsAt);
  });
});
