/** Bad settings or data; the message names the column and is shown to the user as is. */
export class PreprocessingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreprocessingError';
  }
}
