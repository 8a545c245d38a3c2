// Joining a conversation the way the widget and the inbox do: get a token over HTTP, open the
// socket, say hello. Each step is bounded, so a stuck server fails the scenario instead of the bench.
import { agentSocketToken, createSession } from './http.mjs';
import { BenchSocket } from './socket.mjs';

/** Open a socket and say hello with `token`; closes the socket again if hello fails. */
export async function connect(socketUrl, token, { label, timeoutMs = 10_000 } = {}) {
  const socket = await BenchSocket.open(socketUrl, { label, timeoutMs });
  try {
    const { welcome } = await socket.hello(token, { timeoutMs });
    return { socket, welcome };
  } catch (err) {
    await socket.close();
    throw err;
  }
}

/** A fresh anonymous customer in a new conversation, connected: { session, socket, welcome }. */
export async function joinAsCustomer(baseUrl, { channel = 'web', label = 'customer' } = {}) {
  const session = await createSession(baseUrl, { channel });
  const { socket, welcome } = await connect(session.socketUrl, session.socketToken, { label });
  return { session, socket, welcome };
}

/** The logged-in agent (by cookie) connected to a conversation: { socket, welcome }. */
export async function joinAsAgent(baseUrl, cookie, conversationId, { label = 'agent' } = {}) {
  const { socketToken, socketUrl } = await agentSocketToken(baseUrl, cookie, conversationId);
  return connect(socketUrl, socketToken, { label });
}

/** Wait until `done()` is true, polling; false if `timeoutMs` passed first. */
export async function until(done, timeoutMs, stepMs = 5) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return true;
}
