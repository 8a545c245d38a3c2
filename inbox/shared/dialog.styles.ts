import { css } from 'lit';

/** The look of every modal dialog of the inbox (native <dialog>, opened with showModal()). */
export const dialogStyles = css`
  dialog {
    width: min(480px, calc(100vw - 32px));
    max-height: calc(100vh - 64px);
    padding: 0;
    border: 1px solid var(--sb-border, #d0d7de);
    border-radius: 10px;
    background: var(--sb-surface, #fff);
    color: var(--sb-text, #1b1f24);
    box-shadow: 0 16px 48px rgb(0 0 0 / 0.25);
  }
  dialog::backdrop {
    background: rgb(15 20 25 / 0.45);
  }
  form {
    display: flex;
    flex-direction: column;
    gap: 12px;
    margin: 0;
    padding: 16px 18px 18px;
  }
  h2 {
    margin: 0;
    font-size: 17px;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .field > span,
  legend {
    font-weight: 600;
    font-size: 13px;
  }
  fieldset {
    margin: 0;
    padding: 0;
    border: 0;
  }
  textarea,
  input[type='text'],
  input[type='search'],
  input[type='time'] {
    width: 100%;
    padding: 7px 9px;
    border: 1px solid var(--sb-border-strong, #8c959f);
    border-radius: 6px;
    background: var(--sb-surface, #fff);
  }
  textarea {
    resize: vertical;
    min-height: 64px;
  }
  .hint {
    margin: 0;
    font-size: 12px;
    color: var(--sb-muted, #57606a);
  }
  .actions {
    display: flex;
    justify-content: flex-end;
    gap: 8px;
    margin-top: 4px;
  }
`;
