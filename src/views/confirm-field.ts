// Shared by the confirmation pages and the script that asks in a dialog instead, which the
// browser loads: kept apart from the page templates.

/** The form name that marks a destructive form as confirmed; without it the action only asks. */
export const CONFIRM_FIELD = 'confirm';
