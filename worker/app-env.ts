import type { Env } from './env';
import type { Agent } from './db/agents';

/** Hono's environment: bindings plus what middleware puts on the context. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    agent: Agent;
    /** The agent's sign-in session: its public id and when it ends. */
    session: { id: string; expiresAt: number };
  };
}
