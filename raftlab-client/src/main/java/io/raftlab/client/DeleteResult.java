package io.raftlab.client;

/** A delete that was applied; {@code deleted} is false if the key did not exist. */
public record DeleteResult(String key, boolean deleted, ResponseInfo info) {}
