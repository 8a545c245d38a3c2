import { css } from 'lit';

/** Panel styles: a self-contained card that host-page CSS cannot reach into. */
export const styles = css`
  :host {
    all: initial;
    display: block;
    font-family: var(--sb-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: 15px;
    line-height: 1.4;
    color: var(--sb-text, #1b1f24);
    --_accent: var(--sb-accent, var(--_brand-primary, #0b5fff));
    --_on-accent: var(--sb-on-accent, var(--_brand-on-primary, #fff));
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .panel {
    position: absolute;
    bottom: calc(var(--sb-launcher-size, 60px) + 16px);
    right: 0;
    width: min(380px, calc(100vw - 32px));
    height: min(600px, calc(100vh - 120px));
    display: flex;
    flex-direction: column;
    background: var(--sb-surface, #fff);
    border-radius: var(--sb-radius, 16px);
    box-shadow: 0 12px 48px rgb(0 0 0 / 0.28);
    overflow: hidden;
  }
  :host([position='left']) .panel {
    right: auto;
    left: 0;
  }
  :host([page]) .panel {
    position: fixed;
    inset: 0;
    width: 100%;
    height: 100%;
    border-radius: 0;
    box-shadow: none;
  }
  /* On a phone a floating card leaves no room to read or type: the open panel takes the whole
     screen (the launcher hides itself meanwhile, and the header's × closes). 100dvh follows the
     browser's collapsing toolbars, so the composer stays above them; 100vh is the fallback. */
  @media (max-width: 480px) {
    .panel {
      position: fixed;
      inset: 0;
      width: 100%;
      height: 100vh;
      height: 100dvh;
      border-radius: 0;
      box-shadow: none;
    }
  }
  .header {
    display: flex;
    align-items: center;
    gap: 12px;
    padding: 14px 16px;
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .header img {
    width: 36px;
    height: 36px;
    border-radius: 8px;
    background: #fff;
    object-fit: contain;
  }
  .titles {
    flex: 1;
    min-width: 0;
  }
  h2 {
    margin: 0;
    font-size: 17px;
    font-weight: 700;
  }
  .status {
    margin: 2px 0 0;
    font-size: 13px;
  }
  button {
    font: inherit;
    cursor: pointer;
  }
  button:focus-visible,
  textarea:focus-visible,
  input:focus-visible {
    outline: 3px solid var(--sb-focus, #1b1f24);
    outline-offset: 2px;
  }
  .header button {
    all: unset;
    display: grid;
    place-items: center;
    width: 36px;
    height: 36px;
    border-radius: 8px;
    cursor: pointer;
    font-size: 22px;
  }
  .header button:focus-visible {
    outline: 3px solid var(--_on-accent);
  }
  .banner {
    margin: 0;
    padding: 10px 16px;
    background: #fff4d6;
    color: #4d3800;
    font-size: 14px;
    border-bottom: 1px solid #f0dca0;
  }
  .banner strong {
    display: block;
  }
  .link {
    margin: 0;
    padding: 6px 16px;
    background: #fdecec;
    color: #8a1c1c;
    font-size: 13px;
    text-align: center;
  }
  .typing {
    margin: 0;
    padding: 2px 16px 6px;
    font-size: 13px;
    color: #57606a;
    background: var(--sb-log-background, #f6f7f9);
    min-height: 24px;
  }
  .csat {
    padding: 12px 16px;
    border-top: 1px solid #d8dee4;
  }
  .csat h3 {
    margin: 0 0 8px;
    font-size: 15px;
  }
  .choices {
    display: flex;
    gap: 8px;
    margin-bottom: 8px;
  }
  .choice {
    flex: 1;
    padding: 8px;
    border: 2px solid #8c959f;
    border-radius: 10px;
    background: #fff;
    color: #1b1f24;
  }
  .choice[aria-pressed='true'] {
    border-color: var(--_accent);
    background: var(--_accent);
    color: var(--_on-accent);
  }
  /* The comment's own submit button sits under it, at the end, like the composer's Send. */
  .csat .comment {
    display: flex;
    flex-direction: column;
    align-items: flex-end;
  }
  .csat .comment .field {
    align-self: stretch;
    margin-bottom: 8px;
  }
  .note {
    margin: 6px 0 0;
    font-size: 13px;
    color: #57606a;
  }
  .topics {
    padding: 10px 16px;
    border-top: 1px solid #d8dee4;
  }
  .topics h3 {
    margin: 0;
    font-size: 15px;
  }
  .topics .note {
    margin: 2px 0 8px;
  }
  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .chip {
    padding: 6px 12px;
    border: 2px solid var(--_accent);
    border-radius: 999px;
    background: #fff;
    color: #1b1f24;
  }
  .chip:hover {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .topic-chosen {
    margin: 0;
    padding: 6px 16px;
    border-top: 1px solid #d8dee4;
    font-size: 13px;
    color: #57606a;
  }
  form {
    margin: 0;
  }
  .composer {
    display: flex;
    gap: 8px;
    padding: 10px 12px;
    border-top: 1px solid #d8dee4;
    background: var(--sb-surface, #fff);
  }
  textarea,
  input {
    font: inherit;
    color: inherit;
    width: 100%;
    border: 1px solid #8c959f;
    border-radius: 10px;
    padding: 8px 10px;
    background: #fff;
  }
  .composer textarea {
    flex: 1;
    resize: none;
    min-height: 40px;
    max-height: 120px;
  }
  .primary {
    border: 0;
    border-radius: 10px;
    padding: 8px 14px;
    background: var(--_accent);
    color: var(--_on-accent);
    font-weight: 700;
  }
  .primary:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  .warning {
    margin: 0;
    padding: 0 12px 8px;
    color: #a40e26;
    font-size: 13px;
  }
  .offline {
    flex: 1;
    overflow-y: auto;
    padding: 16px;
  }
  .offline h3 {
    margin: 0 0 4px;
  }
  .offline p {
    margin: 0 0 12px;
  }
  .field {
    display: block;
    margin-bottom: 12px;
  }
  .field span {
    display: block;
    font-size: 13px;
    font-weight: 600;
    margin-bottom: 4px;
  }
  .error {
    color: #a40e26;
    font-size: 13px;
  }
  /* "File a complaint" under the composer, and "Back to the chat" in its form: quiet text buttons. */
  .link-button {
    align-self: flex-start;
    margin: 0 12px 8px;
    padding: 4px 0;
    border: 0;
    background: none;
    color: inherit;
    font: inherit;
    font-size: 13px;
    text-decoration: underline;
    cursor: pointer;
  }
  .complaint .link-button {
    margin: 8px 0 0 12px;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  /* Attach and camera: labels around hidden file inputs, so the keyboard reaches them as buttons. */
  .composer { flex-wrap: wrap; }
  .attach { display: flex; gap: 2px; align-items: center; }
  .attach-btn { cursor: pointer; padding: 6px; border: 0; background: none; border-radius: 6px; font-size: 18px; line-height: 1; }
  .picked { order: 3; flex-basis: 100%; display: flex; flex-wrap: wrap; gap: 6px; margin: 0; padding: 0; list-style: none; font-size: 13px; }
  .picked li { background: #eef1f4; border-radius: 12px; padding: 2px 4px 2px 10px; }
  .picked button { border: 0; background: none; cursor: pointer; font-size: 15px; }
`;
