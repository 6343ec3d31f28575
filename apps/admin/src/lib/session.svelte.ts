import { goto } from '$app/navigation';
import { api, type Me } from '$lib/api/client';

/** Who is signed in. `ready` turns true after the first `auth.me` answer, so pages never flash the wrong view. */
class Session {
  user = $state<Me | null>(null);
  ready = $state(false);
  /** Signed out by an expired session (not on purpose): the sign-in page says so. */
  sessionEnded = $state(false);
  /**
   * From the click on "Sign out" to the next sign-in: nothing may be stored for the person, and a request sent
   * before it (a notifications poll) that comes back refused is not an expired session.
   */
  signingOut = $state(false);

  get role() {
    return this.user?.role ?? null;
  }
  get canAuthor() {
    return this.role === 'marketer' || this.role === 'admin';
  }
  get canReview() {
    return this.role === 'approver' || this.role === 'admin';
  }

  async load(): Promise<void> {
    try {
      this.user = await api.auth.me.query();
    } finally {
      this.ready = true;
    }
  }

  async login(username: string, password: string): Promise<void> {
    await api.auth.login.mutate({ username, password });
    this.user = await api.auth.me.query();
    this.sessionEnded = false;
    this.signingOut = false;
  }

  async logout(): Promise<void> {
    const username = this.user?.username;
    this.signingOut = true;
    try {
      await api.auth.logout.mutate();
    } finally {
      // Wizard drafts hold client IINs: signing out on purpose removes them from this browser (an expired
      // session keeps them, so nothing typed is lost to a timeout).
      if (username) forgetDrafts(username);
      this.user = null;
      await goto('/signin');
      // And once the wizard has gone: nothing it does on its way out may leave a draft behind.
      if (username) forgetDrafts(username);
    }
  }

  /** The server said the session is gone: the layout sends the person to sign-in and back to where they were. */
  expired(): void {
    if (this.signingOut) return;
    this.sessionEnded = true;
    this.user = null;
  }
}

function forgetDrafts(username: string): void {
  const prefix = `campaigns.wizard.${username}`;
  for (const key of Object.keys(localStorage)) {
    if (key === prefix || key.startsWith(`${prefix}.`)) localStorage.removeItem(key);
  }
}

export const session = new Session();
