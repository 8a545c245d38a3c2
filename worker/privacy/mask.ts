/**
 * Phone numbers and passport/document numbers are masked wherever agents see text, keeping the
 * last two digits so an agent can still say "the number ending in 67". Revealing is a separate,
 * audited action. The rules are deliberately wide: a false mask costs a click, a leak costs trust.
 */

// A run of 7+ digits, allowing the separators people type in phone numbers (+7 (916) 123-45-67).
const DIGIT_RUN = /\+?\d[\d\s\-().]{5,}\d/g;
// Document numbers that mix letters and digits: AB1234567, 45 10 123456 is caught by DIGIT_RUN.
const DOC_NUMBER = /\b[A-Z]{1,3}[\s-]?\d{6,}\b/gi;
const MIN_DIGITS = 7;

function maskDigits(run: string): string {
  const total = run.replace(/\D/g, '').length;
  let seen = 0;
  return run.replace(/\d/g, (d) => (++seen > total - 2 ? d : '•'));
}

/** The text with phone and document numbers masked, and whether anything was. */
export function maskText(text: string): { text: string; masked: boolean } {
  let masked = false;
  const out = text
    .replace(DIGIT_RUN, (run) => {
      if (run.replace(/\D/g, '').length < MIN_DIGITS) return run;
      masked = true;
      return maskDigits(run);
    })
    .replace(DOC_NUMBER, (run) => {
      masked = true;
      return run.replace(/[A-Za-z]/g, '•').replace(/\d(?=\d{2})/g, '•');
    });
  return { text: out, masked };
}
