/**
 * A stand-in for the CustomFunctions global that Excel provides at run time, just enough for
 * tests: the Error class with its code and message, the error codes, and a record of associate().
 * Import it before src/functions/functions.ts.
 */
export const associated = new Map<string, Function>();

class StubError {
  constructor(
    readonly code: string,
    readonly message?: string,
  ) {}
}

(globalThis as Record<string, unknown>).CustomFunctions = {
  Error: StubError,
  ErrorCode: { invalidValue: '#VALUE!', notAvailable: '#N/A', divisionByZero: '#DIV/0!', invalidNumber: '#NUM!', nullReference: '#NULL!', invalidName: '#NAME?', invalidReference: '#REF!' },
  associate: (id: string, fn: Function) => associated.set(id, fn),
};

export { StubError };
