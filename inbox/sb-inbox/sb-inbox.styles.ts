import { css } from 'lit';
import { base } from '../shared/base.styles';

/**
 * The app shell: the top bar, then three columns (queue, open conversations, contact). Sized for a
 * 1280×800 screen first. The `--sb-*` custom properties set here theme every component below.
 */
export const styles = [
  base,
  css`
    :host {
      --sb-bg: #f4f5f7;
      --sb-surface: #fff;
      --sb-text: #1b1f24;
      --sb-muted: #57606a;
      --sb-border: #d0d7de;
      --sb-border-soft: #eaeef2;
      --sb-border-strong: #8c959f;
      --sb-accent: #0b5fff;
      --sb-accent-strong: #0a4fd6;
      --sb-accent-text: #0a4fd6;
      --sb-on-accent: #fff;
      --sb-hover: #f3f5f8;
      --sb-focus: #0b5fff;
      display: flex;
      flex-direction: column;
      height: 100vh;
      background: var(--sb-bg);
    }
    .columns {
      flex: 1;
      min-height: 0;
      display: grid;
      grid-template-columns: 340px minmax(0, 1fr) 280px;
    }
    .work {
      display: flex;
      flex-direction: column;
      min-height: 0;
      min-width: 0;
    }
    sb-conversation {
      flex: 1;
    }
    .empty {
      display: grid;
      place-content: center;
      gap: 8px;
      flex: 1;
      text-align: center;
      background: var(--sb-surface);
    }
    .empty p {
      margin: 0;
    }
    .booting {
      display: grid;
      place-items: center;
      height: 100vh;
    }
    /* The supervisor's view needs the width: it takes the conversation and contact columns. */
    .columns.wide {
      grid-template-columns: 340px minmax(0, 1fr);
    }
    sb-supervisor,
    sb-complaints {
      min-width: 0;
    }
  `,
];
