/** Auth0 documents that an organization member holds at most 50 roles (POST beyond that is a 409). */
export const MAX_ROLES_PER_MEMBER = 50;
/** Largest role list we send in one POST/DELETE, so one call never trips the per-member cap on its own. */
export const MAX_ROLES_PER_CALL = 50;
