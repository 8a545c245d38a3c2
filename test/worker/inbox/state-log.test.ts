// The Floor's log of agent states (online, away, offline, with times): utilization and occupancy
// reports are computed from it, so every entry here is what a report will read.
import { runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { InboxClient, OPERATOR, api, floorStub, login, seed } from '../../helpers';

const ADMIN = OPERATOR.agents[0]!;
const SUPERVISOR = OPERATOR.agents[1]!;
const ANNA = OPERATOR.agents[2]!;
const BORIS = OPERATOR.agents[3]!;

beforeAll(seed);

/** One agent's log as the Inbox keeps it, oldest first. */
const stateLog = (agentId: string) => floorStub(OPERATOR.id).stateLog(agentId);

/**
 * The log from here on: entries appended after this call. Each test reads only what it appended,
 * so it does not care what earlier tests left in this file's Inbox.
 */
async function logFromNow(agentId: string) {
  const skip = (await stateLog(agentId)).length;
  const startedAt = Date.now();
  const entries = async () => (await stateLog(agentId)).slice(skip);
  return {
    entries,
    /** Just the states, in order. */
    states: async () => (await entries()).map((e) => e.state),
    /**
     * The states once the agent is gone: waits, with a deadline, until the Inbox holds none of the
     * agent's sockets and has logged 'offline'. The Inbox logs a close as it handles it, before it lets
     * the socket go, so nothing more is logged for these sockets after this.
     */
    async settled(): Promise<string[]> {
      const held = () => runInDurableObject(floorStub(OPERATOR.id), (_o, state) => state.getWebSockets(agentId).length);
      await expect.poll(async () => (await held()) === 0 && (await entries()).at(-1)?.state === 'offline', { timeout: 5000 }).toBe(true);
      return (await entries()).map((e) => e.state);
    },
    /** Every entry is stamped inside this test, and no entry is older than the one before it. */
    async expectTimesInOrder(): Promise<void> {
      const ats = (await entries()).map((e) => e.at);
      const now = Date.now();
      for (const at of ats) {
        expect(at).toBeGreaterThanOrEqual(startedAt);
        expect(at).toBeLessThanOrEqual(now);
      }
      expect([...ats].sort((a, b) => a - b)).toEqual(ats);
    },
  };
}

describe('the agent state log', () => {
  it("logs 'online' when an agent connects and 'offline' when their socket closes", async () => {
    const log = await logFromNow(ANNA.id);
    const { inbox } = await InboxClient.open(await login(ANNA.email), null);
    // The upgrade answered only after the Inbox accepted the socket, so the entry is there now.
    expect(await log.states()).toEqual(['online']);
    await inbox.close();
    expect(await log.settled()).toEqual(['online', 'offline']);
    await log.expectTimesInOrder();
  });

  it("logs 'away' and 'online' on presence.set, and nothing when the state does not change", async () => {
    const log = await logFromNow(BORIS.id);
    const { inbox } = await InboxClient.open(await login(BORIS.email), null);
    try {
      inbox.send({ type: 'presence.set', status: 'away' });
      // The Inbox tells everyone, the sender too, once it has logged the change.
      await inbox.next('presence', (f) => f.agents.some((a) => a.id === BORIS.id && a.status === 'away'));
      expect(await log.states()).toEqual(['online', 'away']);

      // Saying "away" again changes nothing. Sentinel: the Inbox answers frames in order, so once a
      // refused frame sent after it comes back, the repeated presence.set has been handled.
      inbox.send({ type: 'presence.set', status: 'away' });
      await inbox.sync();
      expect(await log.states()).toEqual(['online', 'away']);

      inbox.send({ type: 'presence.set', status: 'online' });
      await inbox.next('presence', (f) => f.agents.some((a) => a.id === BORIS.id && a.status === 'online'));
      expect(await log.states()).toEqual(['online', 'away', 'online']);
    } finally {
      await inbox.close();
    }
    expect(await log.settled()).toEqual(['online', 'away', 'online', 'offline']);
    await log.expectTimesInOrder();
  });

  it("two tabs are one person: one 'online', one 'away', and 'offline' only when the last tab closes", async () => {
    const log = await logFromNow(SUPERVISOR.id);
    const cookie = await login('supervisor@northwind.test');
    const { inbox: tab1 } = await InboxClient.open(cookie, null);
    const { inbox: tab2 } = await InboxClient.open(cookie, null);
    try {
      expect(await log.states()).toEqual(['online']);

      // Presence is the person's: away from one tab is away in both, logged once.
      tab1.send({ type: 'presence.set', status: 'away' });
      await tab2.next('presence', (f) => f.agents.some((a) => a.id === SUPERVISOR.id && a.status === 'away'));
      expect(await log.states()).toEqual(['online', 'away']);
      tab2.send({ type: 'presence.set', status: 'online' });
      await tab1.next('presence', (f) => f.agents.some((a) => a.id === SUPERVISOR.id && a.status === 'online'));
      expect(await log.states()).toEqual(['online', 'away', 'online']);

      // Closing one tab leaves the person online. Sentinel: the Inbox tells the other tab about the
      // closed one after logging whatever it logs for it; clear older frames first so that tell is the one.
      await tab2.sync();
      tab2.frames.splice(0);
      await tab1.close();
      const after = await tab2.next('presence');
      expect(after.agents.filter((a) => a.id === SUPERVISOR.id)).toMatchObject([{ status: 'online' }]);
      expect(await log.states()).toEqual(['online', 'away', 'online']);
    } finally {
      await tab1.close();
      await tab2.close();
    }
    expect(await log.settled()).toEqual(['online', 'away', 'online', 'offline']);
    await log.expectTimesInOrder();
  });

  // Disabling closes the sockets itself and then hears each close: both paths must not log twice.
  it("a disabled agent is logged 'offline' once, as their sockets are closed", async () => {
    const admin = await login(ADMIN.email);
    const log = await logFromNow(BORIS.id);
    const { inbox } = await InboxClient.open(await login(BORIS.email), null);
    try {
      expect((await api(`/v1/admin/agents/${BORIS.id}`, { method: 'PATCH', cookie: admin, json: { disabled: true } })).status).toBe(200);
      expect((await inbox.closedWith()).code).toBe(4401);
      expect(await log.settled()).toEqual(['online', 'offline']);
      await log.expectTimesInOrder();
    } finally {
      await api(`/v1/admin/agents/${BORIS.id}`, { method: 'PATCH', cookie: admin, json: { disabled: false } });
    }
  });
});
