/**
 * Durable storage of one Raft node. The server uses {@link io.raftlab.storage.NodeStorage} through
 * the {@link io.raftlab.storage.RaftStore} interface:
 *
 * <pre>
 *   NodeStorage storage = NodeStorage.open(dataDir, StorageOptions.defaults());
 *   RecoveredState state = storage.recovered();
 *   RaftNode node = state.isBlank() ? RaftNode.create(config, random)
 *       : RaftNode.restart(config, random, state.hardState(), state.log());
 *   ... for each Ready, in order: send ready.earlyMessages(); storage.persist(ready); then send ready.messages(); ...
 * </pre>
 *
 * Layout of a data directory: {@code LOCK} (owned by one process, see
 * {@link io.raftlab.storage.lock.DataDirectoryLock}), {@code hardstate} (see
 * {@link io.raftlab.storage.hardstate.HardStateStore}) and {@code wal/NNNNNNNNNNNNNNNN.seg} segments
 * named by their first index (see {@link io.raftlab.storage.wal.WriteAheadLog}). Log compaction
 * will drop whole segments below a snapshot; recovery then has to accept a first segment that
 * starts after index 1 (the one check in WriteAheadLog.open that says the log must start at 1).
 */
package io.raftlab.storage;
