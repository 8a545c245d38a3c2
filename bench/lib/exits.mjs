/**
 * The one way out of a bench run: on SIGINT/SIGTERM, an uncaught error or the watchdog, report
 * what was measured so far, stop every server the run started, and exit.
 * Returns `bail(code, note)` for the run's own early exits.
 */
export function installExits({ label, report, cleanup, budgetMs, budgetNote = '' }) {
  const bail = (code, note) => {
    report(note)
      .catch((e) => console.error(e))
      .finally(() => cleanup().finally(() => process.exit(code)));
  };
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => bail(130, `interrupted by ${sig}`));
  for (const ev of ['uncaughtException', 'unhandledRejection']) {
    process.on(ev, (err) => {
      console.error(`[${label}] ${ev}:`, err?.stack ?? err);
      bail(1, `${ev}: ${err?.message ?? err}`);
    });
  }
  setTimeout(() => bail(1, `run exceeded ${budgetMs / 60_000} min and was stopped${budgetNote}`), budgetMs).unref();
  return bail;
}
