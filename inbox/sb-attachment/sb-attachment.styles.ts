import { css } from 'lit';

/** A file in the thread: a thumbnail, an inline PDF, or a covered card for a sensitive document. */
export const styles = css`
  :host { display: block; margin-top: 6px; }
  a { color: inherit; }
  img { display: block; max-width: 240px; max-height: 180px; border-radius: 6px; border: 1px solid var(--sb-border-soft, #d8dee4); }
  iframe { width: 320px; height: 220px; border: 1px solid var(--sb-border-soft, #d8dee4); border-radius: 6px; background: #fff; }
  .card { display: inline-flex; gap: 8px; align-items: center; padding: 6px 10px; border: 1px solid var(--sb-border-soft, #d8dee4); border-radius: 6px; }
  .sensitive { width: 240px; height: 120px; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 6px; border-radius: 6px;
    background: repeating-linear-gradient(45deg, #e6e9ee, #e6e9ee 8px, #d5dae1 8px, #d5dae1 16px); filter: blur(0); text-align: center; }
  .muted { color: var(--sb-muted, #5b6570); font-size: 12px; }
  .btn { font: inherit; padding: 2px 10px; border-radius: 4px; border: 1px solid var(--sb-border, #aab4be); background: var(--sb-surface, #fff); cursor: pointer; }
`;
