package dev.recurrent.core.backend;

/** A backend that is on the class path but cannot run on this machine. */
public class BackendUnavailableException extends IllegalStateException {
    public BackendUnavailableException(String message, Throwable cause) { super(message, cause); }

    public BackendUnavailableException(String message) { super(message); }
}
