package io.raftlab.storage.wal;

/** How the write-ahead log lays out its files. */
public record WalOptions(long segmentBytes) {
  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
  public static final long MIN_SEGMENT_BYTES = 256;
  public static final long MAX_SEGMENT_BYTES = 1L << 30;

  public WalOptions {
    if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
      throw new IllegalArgumentException("segmentBytes must be in " + MIN_SEGMENT_BYTES + ".." + MAX_SEGMENT_BYTES
          + ", got " + segmentBytes);
    }
  }

  public static WalOptions defaults() {
    return new WalOptions(DEFAULT_SEGMENT_BYTES);
  }
}
