import { css } from 'lit';
import { base } from '../shared/base.styles';
import { dialogStyles } from '../shared/dialog.styles';

/** The hold dialog: a note, then preset times as a row of choices. */
export const styles = [
  base,
  dialogStyles,
  css`
    .presets {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      margin-top: 4px;
    }
    .presets label {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      padding: 4px 10px;
      border: 1px solid var(--sb-border-strong, #8c959f);
      border-radius: 6px;
      cursor: pointer;
    }
    .presets label:has(input:checked) {
      background: #e8f0ff;
      border-color: var(--sb-accent, #0b5fff);
      font-weight: 600;
    }
    .presets input[type='time'] {
      width: auto;
      padding: 2px 4px;
    }
    .back {
      font-weight: 600;
    }
  `,
];
