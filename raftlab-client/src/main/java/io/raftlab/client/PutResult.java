package io.raftlab.client;

import java.util.Optional;

/**
 * A put that was applied, with the value it replaced (empty if the key was absent, or if the put
 * did not ask for it).
 */
public record PutResult(String key, Optional<String> previous, ResponseInfo info) {}
