import { base } from '../shared/base.styles';
import { dialogStyles } from '../shared/dialog.styles';

/** The escalate dialog needs nothing beyond the shared dialog look. */
export const styles = [base, dialogStyles];
