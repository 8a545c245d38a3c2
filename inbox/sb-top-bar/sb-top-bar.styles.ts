import { css } from 'lit';
import { base } from '../shared/base.styles';

/** The dark top bar: views, link state, presence, who is signed in. */
export const styles = [
  base,
  css`
    :host {
      display: block;
      flex: none;
    }
    .top {
      display: flex;
      align-items: center;
      gap: 14px;
      height: 48px;
      flex: none;
      padding: 0 14px;
      background: #1b1f24;
      color: #fff;
    }
    .logo {
      margin: 0;
      font-size: 16px;
      font-weight: 800;
      letter-spacing: 0.01em;
    }
    .views {
      display: flex;
      gap: 2px;
    }
    .top button {
      border-color: #57606a;
      background: #2d333b;
      color: #fff;
    }
    .top button:hover:not(:disabled) {
      background: #3a414a;
    }
    .top :focus-visible {
      outline-color: #8ab4ff;
    }
    .top .views button[aria-current='page'],
    .top .views button[aria-current='page']:hover {
      background: #fff;
      color: #1b1f24;
    }
    .spacer {
      flex: 1;
    }
    .link {
      font-size: 12.5px;
      color: #ffd866;
      font-weight: 600;
    }
    .presence {
      display: inline-flex;
      border-radius: 6px;
      overflow: hidden;
      border: 1px solid #57606a;
    }
    .presence button {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      padding: 4px 10px;
      border: 0;
      border-radius: 0;
      font-weight: 600;
    }
    .presence button[aria-pressed='true'] {
      background: #fff;
      color: #1b1f24;
    }
    .dot {
      width: 9px;
      height: 9px;
      border-radius: 50%;
      border: 1px solid #fff;
    }
    .dot.online {
      background: #2da44e;
    }
    .dot.away {
      background: #d4a72c;
    }
    [aria-pressed='true'] .dot {
      border-color: #1b1f24;
    }
    .me {
      display: flex;
      flex-direction: column;
      line-height: 1.15;
      font-size: 13px;
      text-align: right;
    }
    .me .role {
      color: #c9d1d9;
      font-size: 11.5px;
      text-transform: capitalize;
    }
  `,
];
