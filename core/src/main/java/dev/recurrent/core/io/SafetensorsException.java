package dev.recurrent.core.io;

/**
 * A safetensors file (or a request to write one) that breaks the format or asks for something this
 * reader does not support. The message names the file and, where there is one, the tensor.
 * I/O failures (missing file, disk full, ...) are reported as {@link java.io.IOException} instead.
 */
public class SafetensorsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public SafetensorsException(String message) { super(message); }

    public SafetensorsException(String message, Throwable cause) { super(message, cause); }
}
