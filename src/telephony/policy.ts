/** The phone menu's numbers, named (another agency or contact center would change these). */

/** How many times a menu is offered (a wrong key or no key counts) before the call ends politely. */
export const MAX_TRIES = 3;

/** Seconds a one-key menu waits for a key. */
export const MENU_TIMEOUT_SECONDS = 6;

/** Seconds the receipt-number prompt waits (ten digits take longer); # ends the entry early. */
export const RECEIPT_TIMEOUT_SECONDS = 15;

/** The digits of a receipt number after its three letters (CONTRACT.md section 4). */
export const RECEIPT_DIGITS = 10;

/**
 * The wait estimate (TelephonyService.estimateWait):
 *   minutes = ceil(calls waiting ahead × average handle minutes ÷ agents signed in with the skills)
 * where calls waiting ahead are calls put in the same queue in the last WAITING_WINDOW_MINUTES whose status
 * callback (the end of the call) has not come, the average handle time is the mean length of the ended calls of
 * that tier and language over the last HANDLE_TIME_WINDOW_DAYS (at most HANDLE_TIME_SAMPLE of them), and agents
 * signed in are staff of the tier with the language (and military) skills holding a live session. With no ended
 * calls to measure or nobody signed in there is no basis, and the menu says it cannot estimate the wait.
 */
export const WAITING_WINDOW_MINUTES = 60;
export const HANDLE_TIME_WINDOW_DAYS = 30;
export const HANDLE_TIME_SAMPLE = 500;
/** A session counts as signed in when used within this many minutes (the staff session's idle end). */
export const SIGNED_IN_MINUTES = 30;
