package io.kopek.persistence.patch;

/** A patch could not be applied: malformed patch document, missing path, failed test, bad array index, ... */
public class PatchException extends Exception {

    private static final long serialVersionUID = 1L;

    public PatchException(String message) {
        super(message);
    }
}
