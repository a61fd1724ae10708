package dev.recurrent.models.train;

/** A checkpoint that is missing, truncated, damaged or not one of ours; the message is one line naming the path. */
public class CheckpointException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) { super(message); }

    public CheckpointException(String message, Throwable cause) { super(message, cause); }
}
