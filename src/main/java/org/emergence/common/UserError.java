package org.emergence.common;

/**
 * A problem with the user's input or environment that the user can fix. The CLI prints its
 * message as one line and exits with status 2; the stack trace is shown only with --debug.
 * Messages name the file, tensor, row or option at fault.
 */
public class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
