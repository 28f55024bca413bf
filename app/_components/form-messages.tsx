// A form's own messages: an error announced at once (role=alert), a notice announced politely (role=status). The
// live regions are always there, so a screen reader hears a message that appears after the form was read.
export function FormMessages({ error, notice }: { error?: string | null; notice?: string | null }) {
  return (
    <>
      <div aria-live="assertive">
        {error ? (
          <p role="alert" className="form-error">
            {error}
          </p>
        ) : null}
      </div>
      <div aria-live="polite">
        {notice ? (
          <p role="status" className="form-notice">
            {notice}
          </p>
        ) : null}
      </div>
    </>
  );
}
