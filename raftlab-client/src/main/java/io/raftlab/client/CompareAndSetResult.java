package io.raftlab.client;

import java.util.Optional;

/**
 * A compare-and-set that was applied as a state-machine command: {@code succeeded} says whether
 * the comparison held; {@code current} is the key's value as the server reports it (empty if absent).
 */
public record CompareAndSetResult(String key, boolean succeeded, Optional<String> current, ResponseInfo info) {}
