package dev.recurrent.models.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Texts to train character models on: the small corpus shipped with the project, or a UTF-8 file. */
public final class Corpus {
    /** Class-path location of the shipped corpus: a few KB of English prose written for this project. */
    public static final String TINY = "/data/tiny.txt";

    private Corpus() { }

    /** The shipped corpus ({@value #TINY}). */
    public static String tiny() {
        try (InputStream in = Corpus.class.getResourceAsStream(TINY)) {
            if (in == null) throw new IllegalStateException("the shipped corpus " + TINY + " is missing from the class path");
            return decode(in.readAllBytes(), TINY);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the shipped corpus " + TINY + ": " + e.getMessage(), e);
        }
    }

    /**
     * The text of a UTF-8 file.
     *
     * @throws IllegalArgumentException when the file is missing, unreadable, empty or not UTF-8 (one line, naming the file)
     */
    public static String read(Path file) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) throw new IllegalArgumentException("text file " + file + " is a directory");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("text file " + file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("text file " + file + " cannot be read: " + e.getMessage());
        }
        if (bytes.length == 0) throw new IllegalArgumentException("text file " + file + " is empty");
        return decode(bytes, file.toString());
    }

    private static String decode(byte[] bytes, String where) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("text file " + where + " is not valid UTF-8");
        }
    }
}
