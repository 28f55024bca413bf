// Types for scripts/mail-sink.mjs, which stays plain JavaScript so that scripts/e2e.mjs can import it.
export interface MailSink {
  port: number;
  /** smtp://127.0.0.1:PORT, for SMTP_URL. */
  url: string;
  stop(): Promise<void>;
}

export function startMailSink(options: { dir: string; port?: number }): Promise<MailSink>;
