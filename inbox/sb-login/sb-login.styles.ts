import { css } from 'lit';
import { base } from '../shared/base.styles';

/** The sign-in card, centred on the page. */
export const styles = [
  base,
  css`
    :host {
      display: grid;
      place-items: center;
      min-height: 100vh;
      background: var(--sb-bg, #f4f5f7);
    }
    form {
      display: flex;
      flex-direction: column;
      gap: 14px;
      width: min(360px, calc(100vw - 32px));
      padding: 28px;
      border: 1px solid var(--sb-border, #d0d7de);
      border-radius: 12px;
      background: var(--sb-surface, #fff);
      box-shadow: 0 4px 16px rgb(0 0 0 / 0.06);
    }
    h1 {
      margin: 0;
      font-size: 20px;
    }
    p {
      margin: 0;
    }
    label {
      display: flex;
      flex-direction: column;
      gap: 4px;
      font-weight: 600;
      font-size: 13px;
    }
    input {
      padding: 8px 10px;
      border: 1px solid var(--sb-border-strong, #8c959f);
      border-radius: 6px;
      font-weight: 400;
      font-size: 15px;
    }
    .btn.primary {
      justify-content: center;
      min-height: 38px;
      font-size: 15px;
    }
  `,
];
