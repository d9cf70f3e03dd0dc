/** Auth0 documents that an organization member holds at most 50 roles (POST beyond that is a 409). */
export const MAX_ROLES_PER_MEMBER = 50;
