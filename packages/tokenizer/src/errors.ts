/**
 * The tokenizer's errors, one class per kind of mistake, each saying what was wrong and what to do.
 * `DisallowedSpecialTokenError` keeps tiktoken's first sentence word for word, so that searching
 * for it finds tiktoken's documentation of `allowed_special`.
 */

/** A bad argument: an empty text, a vocabulary size that is not an integer above 256, an unknown id. */
export class TokenizerError extends Error {
  override name = 'TokenizerError';
}

/** Special-token text found in the input while `allowedSpecial` does not allow it. */
export class DisallowedSpecialTokenError extends TokenizerError {
  override name = 'DisallowedSpecialTokenError';
  constructor(readonly token: string) {
    super(
      `Encountered text corresponding to disallowed special token ${pythonRepr(token)}.\n` +
        `If you want this text to be encoded as a special token, pass it to \`allowedSpecial\`, e.g. \`encode(text, new Set([${JSON.stringify(token)}]))\` or \`encode(text, 'all')\`.\n` +
        `If you want this text to be encoded as normal text, pass \`encode(text, 'none')\`.`,
    );
  }
}

/** A `.model` or JSON file that is not one this package (or minbpe) writes. */
export class ModelFormatError extends TokenizerError {
  override name = 'ModelFormatError';
}

/** Python's `repr` of a short string (single quotes unless it holds one), as tiktoken prints it. */
function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const body = text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('\r', '\\r');
  return quote + (quote === "'" ? body.replaceAll("'", "\\'") : body) + quote;
}
