import type { AgentProfile, LogoutResponse, MeResponse } from '../../protocol';
import { ApiError, api } from '../core/api';

/** What the sign-in lifecycle tells the shell. */
export interface SignInEvents {
  signedIn(agent: AgentProfile): void;
  signedOut(notice: string): void;
}

/**
 * The agent's session over its life: who am I at boot, whether a refusal really means the session
 * ended (only /me says so; a dropped socket may be the network), and signing out.
 */
export class SignIn {
  constructor(private readonly on: SignInEvents) {}

  /** Ask who is signed in; no session means the login form, a failure says why. */
  async boot(): Promise<void> {
    try {
      const { agent } = await api<MeResponse>('/v1/agent/me');
      this.on.signedIn(agent);
    } catch (err) {
      const notice = err instanceof ApiError && err.status === 401 ? '' : `Could not reach the server (${err instanceof Error ? err.message : String(err)}). Sign in to try again.`;
      this.on.signedOut(notice);
    }
  }

  /** A socket or call was refused: true if the session still stands, after signing out if it does not. */
  async verify(): Promise<boolean> {
    try {
      await api<MeResponse>('/v1/agent/me');
      return true;
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) return true;
      this.on.signedOut('Your session has ended. Sign in again.');
      return false;
    }
  }

  /** End the session on the server, then here. */
  async logout(): Promise<void> {
    await api<LogoutResponse>('/v1/agent/logout', { method: 'POST' }).catch(() => null);
    this.on.signedOut('You are signed out.');
  }
}
