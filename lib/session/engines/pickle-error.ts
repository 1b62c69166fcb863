/** What the pickle reader throws on anything it does not read: the engine then counts the entry as unreadable. */
export class PickleError extends Error {
  override readonly name = "PickleError";
}
