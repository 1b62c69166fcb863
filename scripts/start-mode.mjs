// How `npm start` runs: the demo, or a real deployment.
import { constants as osConstants } from "node:os";
const YES = ["1", "true", "yes", "on"];
const NO = ["0", "false", "no", "off"];

/**
 * Without NODE_ENV, `npm start` is the README's quickstart: the demo, with
 * seeded demo accounts and a generated secret key. NODE_ENV=production says a
 * real deployment, so the demo then needs SESSIONSCOPE_DEMO=1 said outright:
 * a deployment never slips into demo mode by leaving a variable unset.
 */
export function startMode(environment, { dev = false } = {}) {
  const nodeEnv = dev ? "development" : (environment.NODE_ENV || "production");
  const deployment = !dev && environment.NODE_ENV === "production";
  const raw = environment.SESSIONSCOPE_DEMO ?? "";
  const asked = raw.trim().toLowerCase();
  if (asked !== "" && !YES.includes(asked) && !NO.includes(asked)) {
    // Left as given: the configuration check names the variable and its valid values.
    return { nodeEnv, demo: false, demoVariable: raw, notice: null };
  }
  const demo = asked === "" ? !deployment : YES.includes(asked);
  let notice;
  if (demo && environment.SESSIONSCOPE_ATTACH) {
    // Attached to a Django site: nothing is seeded and no key is generated (the site's SECRET_KEY is used).
    notice =
      "SessionScope: attached to a Django site without NODE_ENV=production: the production checks (a strong key, a Secure cookie) are off; no demo accounts or demo data are added. Set NODE_ENV=production for a real deployment.";
  } else if (demo) {
    notice = "SessionScope: demo mode: demo accounts are seeded and a secret key is kept in var/demo-secret-key. Not for a real deployment.";
  } else if (asked === "") {
    notice = "SessionScope: NODE_ENV=production, so demo mode is off: no demo accounts, and SESSION_SECRET_KEY must be set (SESSIONSCOPE_DEMO=1 runs the demo instead).";
  } else {
    notice = "SessionScope: demo mode is off (SESSIONSCOPE_DEMO=0).";
  }
  return { nodeEnv, demo, demoVariable: demo ? "1" : "0", notice };
}

/**
 * npm start's exit code for how next ended: its own code, or 128 + the signal's number when a
 * signal ended it (as a shell reports it), so a supervisor sees a kill as a failure.
 */
export function exitCodeOf(code, signal) {
  if (code !== null) return code;
  const number = signal ? osConstants.signals[signal] : undefined;
  return number ? 128 + number : 1;
}
