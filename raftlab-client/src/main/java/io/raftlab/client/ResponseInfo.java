package io.raftlab.client;

/**
 * Who answered a successful call and where it landed.
 *
 * @param endpoint the node the final RPC went to
 * @param nodeId the id of the node that answered (from the response header)
 * @param term the answering node's term
 * @param index the log index of the write, or the read index of a read
 * @param leaderId the leader as the answering node knew it
 * @param attempts how many RPCs the call took
 * @param clientId the session of a write; null for reads
 * @param sequence the write's sequence number; 0 for reads
 */
public record ResponseInfo(
    EndpointAddress endpoint,
    String nodeId,
    long term,
    long index,
    String leaderId,
    int attempts,
    String clientId,
    long sequence) {}
