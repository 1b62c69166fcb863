/** The new-password rule, for both sides: the API's schema and the password form's hint and input. */
export const MIN_PASSWORD_LENGTH = 10;
