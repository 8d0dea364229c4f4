'use client';

import { useId, type ReactNode } from 'react';
import { MIN_PASSWORD_LENGTH } from '../../auth-client';
import styles from './Field.module.css';
import accountsStyles from './accounts.module.css';

interface FieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  type?: 'text' | 'email' | 'password';
  autoComplete?: string;
  readOnly?: boolean;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  hint?: ReactNode;
  testId?: string;
  autoFocus?: boolean;
}

/** A labelled text field with an optional hint under it. */
export function Field({ label, value, onChange, type = 'text', hint, testId, ...rest }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className={accountsStyles.formField}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={hint ? hintId : undefined}
        data-testid={testId}
        {...rest}
      />
      {hint && (
        <span id={hintId} className="muted small">
          {hint}
        </span>
      )}
    </div>
  );
}

/** A refusal or problem, in plain words, read out by screen readers. */
export function FormError({ message, testId }: { message: string | null | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <p className={`error-text ${styles.formError}`} role="alert" data-testid={testId}>
      {message}
    </p>
  );
}

/** A new password and its repeat, as the set-up, invitation and change-password forms all ask for them. */
export function NewPasswordFields(props: {
  password: string;
  repeat: string;
  onPassword(value: string): void;
  onRepeat(value: string): void;
  labels: [string, string];
  /** Said under the password after the minimum length. */
  note?: string;
  testIds: [string, string];
}) {
  return (
    <>
      <Field
        label={props.labels[0]}
        type="password"
        value={props.password}
        onChange={props.onPassword}
        autoComplete="new-password"
        required
        minLength={MIN_PASSWORD_LENGTH}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters.${props.note ? ` ${props.note}` : ''}`}
        testId={props.testIds[0]}
      />
      <Field
        label={props.labels[1]}
        type="password"
        value={props.repeat}
        onChange={props.onRepeat}
        autoComplete="new-password"
        required
        testId={props.testIds[1]}
      />
    </>
  );
}
