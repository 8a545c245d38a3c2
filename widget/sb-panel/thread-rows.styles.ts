import { css } from 'lit';

/** The thread's rows (sb-panel/thread-rows.ts): the log, day separators, system lines, messages and their bubbles. */
export const threadStyles = css`
  .log {
    flex: 1;
    overflow-y: auto;
    padding: 12px 12px 4px;
    background: var(--sb-log-background, #f6f7f9);
  }
  .log ol {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .day,
  .line {
    margin: 8px 0;
    text-align: center;
    font-size: 12px;
    color: #57606a;
  }
  .line {
    margin: 4px 0;
    font-style: italic;
  }
  .msg {
    display: flex;
    gap: 8px;
    margin: 6px 0;
    align-items: flex-end;
  }
  .msg.mine {
    justify-content: flex-end;
  }
  .avatar {
    flex: none;
    width: 28px;
    height: 28px;
    border-radius: 50%;
    display: grid;
    place-items: center;
    background: #d8dee4;
    color: #1b1f24;
    font-size: 12px;
    font-weight: 700;
  }
  .bubble {
    max-width: 78%;
    padding: 8px 12px;
    border-radius: 14px;
    background: var(--sb-agent-bubble, #fff);
    color: var(--sb-agent-bubble-text, #1b1f24);
    box-shadow: 0 1px 2px rgb(0 0 0 / 0.08);
  }
  .mine .bubble {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .author {
    display: block;
    font-size: 12px;
    font-weight: 700;
    margin-bottom: 2px;
  }
  .text {
    margin: 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .text a {
    color: inherit;
    text-decoration: underline;
  }
  .text a:focus-visible {
    outline: 2px solid currentColor;
    outline-offset: 1px;
  }
  .meta {
    display: block;
    margin-top: 2px;
    font-size: 11px;
    text-align: right;
  }
  .failed .meta {
    font-weight: 700;
  }
  .upload { display: flex; flex-direction: column; gap: 2px; margin-top: 4px; font-size: 12px; }
  .upload progress { width: 100%; }
  .link-btn { border: 0; background: none; padding: 0; color: inherit; text-decoration: underline; cursor: pointer; font-size: 12px; }
  .file-error { margin: 4px 0 0; font-size: 12px; }
  .request { margin: 8px 0; padding: 10px 12px; border: 1px solid #d8dee4; border-radius: 10px; background: var(--sb-surface, #fff); list-style: none; }
  .request p { margin: 0 0 6px; }
  .request .note { font-style: italic; }
  .request .done { color: #1a7f37; font-weight: 600; margin: 0; }
`;
