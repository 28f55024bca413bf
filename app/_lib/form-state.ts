/** What a form shows after a submit: what was typed (passwords never come back), what to fix, or a notice. */
export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string | undefined>;
  /** Said about the submission as a whole when it failed ("Invalid email or password."): shown in an alert. */
  formError?: string;
  /** Said when it succeeded and the page stays ("Your password was changed."). */
  notice?: string;
}

export const EMPTY_FORM: FormState = { values: {}, errors: {} };

export type FormAction = (previous: FormState, form: FormData) => Promise<FormState>;
