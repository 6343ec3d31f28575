// The control group's limit, declared once: the API's control_group schema refuses a larger share, and the
// wizard's percentage field says the same limit before anything is sent.

/** The largest share of a campaign's final audience its control group may hold back (0.9 = 90 %). */
export const MAX_CONTROL_SHARE = 0.9;
