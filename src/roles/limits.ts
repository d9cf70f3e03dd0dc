// The API client owns the cap (it sizes its calls and listings by it); validation and diffs use the same one.
export { MAX_ROLES_PER_MEMBER } from "../management/chunk";

/** Auth0 documents 50 characters as the longest organization id the Management API accepts in a path. */
export const MAX_ORGANIZATION_ID_LENGTH = 50;

/**
 * Auth0 role ids are 20 characters (`rol_` + 16) and user ids are a connection prefix plus an id;
 * 255 is far above any real id and keeps a runaway value (a file read into a variable) out of requests.
 */
export const MAX_ID_LENGTH = 255;
