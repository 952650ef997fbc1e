/** A scheduling point: every in-memory port call passes through one (fast-check's scheduler orders them). */
export type Gate = <T>(label: string, value: T) => Promise<T>;

/** No scheduling: the value at once. */
export const openGate: Gate = async (_label, value) => value;
