package io.kopek.persistence.store;

/** A {@link StoreError} as an exception, so it can fail a CompletionStage and be mapped to a Status. */
public final class StoreException extends RuntimeException {
  private final StoreError error;

  public StoreException(StoreError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public StoreError error() {
    return error;
  }
}
