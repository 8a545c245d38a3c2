import { css } from 'lit';
import { base } from '../shared/base.styles';
import { dialogStyles } from '../shared/dialog.styles';

/** The shortcut overlay: groups of key / action rows. */
export const styles = [
  base,
  dialogStyles,
  css`
    dialog {
      width: min(560px, calc(100vw - 32px));
    }
    .body {
      padding: 16px 18px 18px;
    }
    .groups {
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: 8px 24px;
    }
    h3 {
      margin: 10px 0 4px;
      font-size: 13px;
      text-transform: uppercase;
      letter-spacing: 0.04em;
      color: var(--sb-muted, #57606a);
    }
    dl {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 4px 10px;
      margin: 0;
    }
    dt {
      white-space: nowrap;
    }
    dd {
      margin: 0;
    }
    .head {
      display: flex;
      justify-content: space-between;
      align-items: center;
    }
  `,
];
