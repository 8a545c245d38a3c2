import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Re-render a component whenever the model it shows (a conversation session, the queue store)
 * fires `change`, following the model when the property is swapped for another. The one way the
 * inbox's components listen to their models.
 */
export class FollowChanges implements ReactiveController {
  private current: EventTarget | null = null;
  private readonly onChange = () => this.host.requestUpdate();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly model: () => EventTarget | null | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.follow();
  }

  hostUpdate(): void {
    this.follow();
  }

  hostDisconnected(): void {
    this.current?.removeEventListener('change', this.onChange);
    this.current = null;
  }

  private follow(): void {
    const next = this.model() ?? null;
    if (next === this.current) return;
    this.current?.removeEventListener('change', this.onChange);
    this.current = next;
    next?.addEventListener('change', this.onChange);
  }
}
