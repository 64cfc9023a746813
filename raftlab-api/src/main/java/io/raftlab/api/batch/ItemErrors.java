package io.raftlab.api.batch;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.raftlab.api.kv.ItemError;
import java.util.Map;

/**
 * A failed item of a Batch stream carries what the unary call would have failed with: the status
 * and its ASCII trailers. These two conversions are the whole mapping, so a client can classify an
 * item's failure with the same code it uses for a failed unary call.
 */
public final class ItemErrors {

  private ItemErrors() {}

  /** The status and trailers of a failure, as an item error. */
  public static ItemError of(Throwable failure) {
    Status status = Status.fromThrowable(failure);
    ItemError.Builder b = ItemError.newBuilder().setCode(status.getCode().value());
    if (status.getDescription() != null) {
      b.setDescription(status.getDescription());
    }
    Metadata trailers = Status.trailersFromThrowable(failure);
    if (trailers != null) {
      for (String key : trailers.keys()) {
        if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
          String value = trailers.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
          if (value != null) {
            b.putTrailers(key, value);
          }
        }
      }
    }
    return b.build();
  }

  /** The failure an item error stands for, as the unary call would have thrown it. */
  public static StatusRuntimeException toException(ItemError error) {
    Status status = Status.fromCodeValue(error.getCode());
    if (!error.getDescription().isEmpty()) {
      status = status.withDescription(error.getDescription());
    }
    Metadata trailers = new Metadata();
    for (Map.Entry<String, String> e : error.getTrailersMap().entrySet()) {
      trailers.put(Metadata.Key.of(e.getKey(), Metadata.ASCII_STRING_MARSHALLER), e.getValue());
    }
    return status.asRuntimeException(trailers);
  }
}
