'use client';

import { useState, type FormEvent, type ReactNode } from 'react';

export interface AuthField {
  name: string;
  label: string;
  type: 'text' | 'email' | 'password';
  autoComplete: string;
  minLength?: number;
}

/** A small centred form for sign-in and set-up: labelled fields, one button, an error in plain words. */
export function AuthForm(props: {
  title: string;
  intro: ReactNode;
  fields: AuthField[];
  submitLabel: string;
  onSubmit: (values: Record<string, string>) => Promise<string | null>;
  footer?: ReactNode;
  testId: string;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(event.currentTarget).entries()) as Record<string, string>;
    setBusy(true);
    setError(await props.onSubmit(values));
    setBusy(false);
  }
  return (
    <div className="auth-page" data-testid={props.testId}>
      <form className="auth-card" onSubmit={submit}>
        <h1>{props.title}</h1>
        <p className="muted">{props.intro}</p>
        {props.fields.map((field) => (
          <label key={field.name} className="auth-field">
            <span>{field.label}</span>
            <input name={field.name} type={field.type} autoComplete={field.autoComplete} required minLength={field.minLength} maxLength={200} />
          </label>
        ))}
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'One moment…' : props.submitLabel}
        </button>
        {props.footer && <p className="muted small">{props.footer}</p>}
      </form>
    </div>
  );
}
