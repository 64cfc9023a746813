package io.raftlab.checker.linearizability;

/**
 * The answer for one independently checked part of the history (one key).
 *
 * @param key the key ("" for a single register)
 * @param verdict the answer for this key
 * @param operations how many operations of this key were searched (after dropping failed ones
 *     and unknown outcomes that cannot matter)
 * @param reason why the verdict is UNKNOWN (time or memory), or "" otherwise
 * @param searchSteps search iterations spent
 */
public record KeyResult(String key, Verdict verdict, int operations, String reason, long searchSteps) {}
