import { css } from 'lit';
import { base } from '../shared/base.styles';

/** The Reports view: tiles, filters, tabs, tables, the message pairs and the definitions. */
export const styles = [
  base,
  css`
    :host {
      display: block;
      min-height: 0;
      overflow-y: auto;
    }
    .panel {
      border: 1px solid var(--sb-border, #d0d7de);
      border-radius: 8px;
      background: var(--sb-surface, #fff);
      padding: 12px;
    }
    h2,
    h3 {
      margin: 0 0 8px;
      font-size: 16px;
    }
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(130px, 1fr));
      gap: 8px;
      margin-bottom: 12px;
    }
    .tile {
      display: flex;
      flex-direction: column;
      gap: 2px;
      border: 1px solid var(--sb-border-soft, #eaeef2);
      border-radius: 6px;
      padding: 8px;
    }
    .tile strong {
      font-size: 20px;
    }
    .controls,
    .bar,
    .tabs {
      display: flex;
      flex-wrap: wrap;
      align-items: end;
      gap: 8px;
      margin-bottom: 10px;
    }
    .controls label,
    .bar label {
      display: flex;
      flex-direction: column;
      font-size: 12px;
      color: var(--sb-muted, #57606a);
    }
    input,
    select {
      border: 1px solid var(--sb-border-strong, #8c959f);
      border-radius: 4px;
      padding: 3px 6px;
      background: var(--sb-surface, #fff);
    }
    .tabs [aria-selected='true'] {
      background: var(--sb-accent, #0b5fff);
      border-color: var(--sb-accent, #0b5fff);
      color: var(--sb-on-accent, #fff);
    }
    .scroll {
      overflow-x: auto;
    }
    table {
      border-collapse: collapse;
      width: 100%;
      font-size: 13px;
    }
    th,
    td {
      text-align: left;
      padding: 4px 6px;
      border-bottom: 1px solid var(--sb-border-soft, #eaeef2);
      vertical-align: top;
    }
    tfoot th,
    tfoot td {
      font-weight: 600;
    }
    a.kpi {
      color: var(--sb-accent-text, #0550ae);
      text-decoration: underline dotted;
    }
    .muted {
      color: var(--sb-muted, #57606a);
    }
    .pairs {
      padding-left: 18px;
    }
    .pair {
      margin: 2px 0;
      padding: 4px 8px;
      border-radius: 6px;
      background: var(--sb-bg, #f6f8fa);
    }
    .pair.agent {
      margin-left: 24px;
    }
    .who {
      font-weight: 600;
      margin-right: 6px;
    }
    .score.bad {
      color: var(--sb-bad, #cf222e);
    }
    button.link {
      border: none;
      background: none;
      padding: 0;
      color: var(--sb-accent-text, #0550ae);
      text-decoration: underline;
      cursor: pointer;
    }
    .defs dt {
      font-weight: 600;
      margin-top: 6px;
    }
    .defs dt.marked {
      background: #fff8c5;
    }
    .defs dd {
      margin: 0 0 0 12px;
    }
  `,
];
