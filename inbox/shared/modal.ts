import { LitElement } from 'lit';
import { focusables, trapTab } from '../../client/focus-trap';

/**
 * What every modal dialog of the inbox shares: a native <dialog> opened with showModal() (the
 * page behind goes inert, Escape closes), Tab kept inside, and focus on the first field.
 */
export abstract class ModalElement extends LitElement {
  /** Whether the dialog is open. */
  get open(): boolean {
    return this.dialog?.open ?? false;
  }

  protected get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  /** Open the dialog and focus its first field. */
  async show(): Promise<void> {
    this.reset();
    await this.updateComplete;
    const d = this.dialog;
    if (!d || d.open) return;
    d.showModal();
    const first = d.querySelector<HTMLElement>('[autofocus]') ?? focusables(d)[0];
    first?.focus();
  }

  /** Close it; the browser gives focus back to where it was. */
  close(): void {
    this.dialog?.close();
  }

  /** Called before each opening, to clear the last error and inputs. */
  protected reset(): void {}

  protected readonly trap = (e: KeyboardEvent): void => {
    // Keys pressed in a dialog are the dialog's: the inbox's single-key shortcuts must not fire.
    e.stopPropagation();
    const d = this.dialog;
    if (d) trapTab(e, d, this.renderRoot as ShadowRoot);
  };
}
