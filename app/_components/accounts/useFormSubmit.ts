'use client';

import { useState, type FormEvent } from 'react';

/**
 * A form that checks what was typed, then asks the server. `check` and `perform` resolve to the problem to
 * show, or null. Without `onDone` a success moves the page on, so the form stays busy until it has gone.
 */
export function useFormSubmit({
  check,
  perform,
  onDone,
}: {
  check: () => string | null;
  perform: () => Promise<string | null>;
  onDone?: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const invalid = check();
    setError(invalid);
    if (invalid) return;
    setBusy(true);
    const problem = await perform();
    if (problem || onDone) setBusy(false);
    setError(problem);
    if (!problem) onDone?.();
  };
  return { error, busy, submit };
}
