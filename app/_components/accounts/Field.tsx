'use client';

import { useId, useState, type ReactNode } from 'react';
import { MIN_PASSWORD_LENGTH, passwordProblem } from '../../auth-client';
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

/** What the new-password fields hold, from `useNewPassword`. */
export type NewPassword = ReturnType<typeof useNewPassword>;

/** The state of a new password and its repeat. */
export function useNewPassword() {
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  return {
    password,
    repeat,
    setPassword,
    setRepeat,
    /** What is wrong with the pair, in plain words, or null. */
    problem: () => passwordProblem(password, repeat),
    clear: () => {
      setPassword('');
      setRepeat('');
    },
  };
}

/** A new password and its repeat, as the set-up, invitation and change-password forms all ask for them. */
export function NewPasswordFields({
  value,
  labels,
  note,
  testIds,
}: {
  value: NewPassword;
  labels: [string, string];
  /** Said under the password after the minimum length. */
  note?: string;
  testIds: [string, string];
}) {
  const newPassword = { type: 'password', autoComplete: 'new-password', required: true } as const;
  return (
    <>
      <Field
        {...newPassword}
        label={labels[0]}
        value={value.password}
        onChange={value.setPassword}
        minLength={MIN_PASSWORD_LENGTH}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters.${note ? ` ${note}` : ''}`}
        testId={testIds[0]}
      />
      <Field {...newPassword} label={labels[1]} value={value.repeat} onChange={value.setRepeat} testId={testIds[1]} />
    </>
  );
}
