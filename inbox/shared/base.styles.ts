import { css } from 'lit';

/**
 * What every inbox component shares: box model, buttons, focus rings, badges. Colours come from
 * `--sb-*` custom properties set once on <sb-inbox>, all chosen for WCAG AA contrast on their
 * backgrounds.
 */
export const base = css`
  :host {
    font-family: var(--sb-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    color: var(--sb-text, #1b1f24);
    font-size: 14px;
    line-height: 1.4;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  [hidden] {
    display: none !important;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
  }
  :focus-visible {
    outline: 3px solid var(--sb-focus, #0b5fff);
    outline-offset: 1px;
  }
  .btn {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    min-height: 30px;
    padding: 4px 10px;
    border: 1px solid var(--sb-border-strong, #8c959f);
    border-radius: 6px;
    background: var(--sb-surface, #fff);
    color: var(--sb-text, #1b1f24);
    font-weight: 500;
    white-space: nowrap;
  }
  .btn:hover:not(:disabled) {
    background: var(--sb-hover, #eef1f4);
  }
  .btn.primary {
    background: var(--sb-accent, #0b5fff);
    border-color: var(--sb-accent, #0b5fff);
    color: var(--sb-on-accent, #fff);
  }
  .btn.primary:hover:not(:disabled) {
    background: var(--sb-accent-strong, #0a4fd6);
  }
  .btn.danger {
    color: var(--sb-bad, #b3261e);
    border-color: currentColor;
  }
  .btn:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  .btn.link {
    border: 0;
    background: none;
    padding: 0 2px;
    min-height: 0;
    color: var(--sb-accent-text, #0a4fd6);
    text-decoration: underline;
  }
  kbd {
    display: inline-block;
    min-width: 1.5em;
    padding: 0 4px;
    border: 1px solid var(--sb-border-strong, #8c959f);
    border-bottom-width: 2px;
    border-radius: 4px;
    background: var(--sb-surface, #fff);
    font: 12px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace;
    text-align: center;
    color: var(--sb-text, #1b1f24);
  }
  .btn kbd {
    font-size: 11px;
    min-width: 1.3em;
    padding: 0 3px;
    opacity: 0.85;
  }
  .badge {
    display: inline-block;
    padding: 0 6px;
    border-radius: 999px;
    font-size: 11px;
    font-weight: 600;
    line-height: 18px;
    white-space: nowrap;
    border: 1px solid transparent;
  }
  .ch {
    background: #eaeef2;
    color: #24292f;
    text-transform: uppercase;
    letter-spacing: 0.02em;
  }
  .ch-web {
    background: #ddf4ff;
    color: #0a3069;
  }
  .ch-app {
    background: #dafbe1;
    color: #0f4d22;
  }
  .ch-modem {
    background: #fbefff;
    color: #512a97;
  }
  .ch-api {
    background: #eaeef2;
    color: #24292f;
  }
  .ch-email {
    background: #fff8c5;
    color: #4d2d00;
  }
  .sla-ok {
    background: #dafbe1;
    color: #0f4d22;
  }
  .sla-warning {
    background: #fff1c2;
    color: #6b4700;
    border-color: #d4a72c;
  }
  .sla-breached {
    background: #ffebe9;
    color: #86181d;
    border-color: #cf222e;
  }
  .st-open,
  .st-pending {
    background: #ddf4ff;
    color: #0a3069;
  }
  .st-on_hold {
    background: #fff1c2;
    color: #6b4700;
  }
  .st-resolved,
  .st-closed {
    background: #eaeef2;
    color: #24292f;
  }
  .pr-high {
    background: #fff1e5;
    color: #762c00;
  }
  .pr-urgent {
    background: #ffebe9;
    color: #86181d;
    border-color: #cf222e;
  }
  .pr-low,
  .pr-normal {
    background: #eaeef2;
    color: #24292f;
  }
  .csat-good {
    background: #dafbe1;
    color: #0f4d22;
  }
  .csat-bad {
    background: #ffebe9;
    color: #86181d;
  }
  .overdue {
    background: #ffebe9;
    color: #86181d;
    border-color: #cf222e;
  }
  .escalated {
    background: #fbefff;
    color: #512a97;
    border-color: #8250df;
  }
  .error {
    display: flex;
    align-items: flex-start;
    gap: 8px;
    margin: 0;
    padding: 8px 10px;
    border: 1px solid #cf222e;
    border-radius: 6px;
    background: #ffebe9;
    color: #86181d;
  }
  .error code {
    font-size: 12px;
    opacity: 0.85;
  }
  .muted {
    color: var(--sb-muted, #57606a);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
