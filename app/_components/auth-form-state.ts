/** What a sign-in or sign-up form shows after a failed submit: the typed email, and what to fix. */
export interface AuthFormState {
  email: string;
  errors: {
    email?: string;
    password?: string;
    /** About the submission as a whole ("Invalid email or password."): shown in an alert. */
    form?: string;
  };
}

export const EMPTY_AUTH_FORM: AuthFormState = { email: "", errors: {} };
