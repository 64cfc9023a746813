package io.raftlab.core;

/** Volatile state worth telling the caller about when it changes: role and known leader (null if none). */
public record SoftState(Role role, String leader) {}
