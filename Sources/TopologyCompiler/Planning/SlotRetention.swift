/// How much WAL a replication slot may hold back: PostgreSQL's `max_slot_wal_keep_size`, which
/// topoc sets on every cluster so that a stalled consumer (a Debezium connector that stopped, a
/// subscriber that is down, a standby that is gone) cannot fill `pg_wal`. Past the bound
/// PostgreSQL invalidates the slot at the next checkpoint (`wal_status = 'lost'`): the disk stays
/// bounded, and the consumer must start again from a new slot (a Debezium re-snapshot, a replica
/// re-clone).
public enum SlotRetention {
    /// The bound topoc sets when the cluster's `settings` names none: four times PostgreSQL's
    /// default `max_wal_size` (1GB), so a consumer may stall through several checkpoint cycles
    /// before its slot is given up.
    public static let defaultMaxSlotWalKeepSize = ByteSize(bytes: 4 << 30)

    /// Below this bound (PostgreSQL's default `max_wal_size`) a slot is lost as soon as its
    /// consumer falls one checkpoint cycle behind (TCD211).
    public static let smallestSafe = ByteSize(bytes: 1 << 30)

    /// The value of `max_slot_wal_keep_size` for a cluster's settings, in whole megabytes (the
    /// parameter's unit; a declared size is rounded up to the next megabyte).
    public static func parameter(_ settings: PostgresSettings) -> String {
        let bytes = settings.maxSlotWalKeepSize?.value.bytes ?? defaultMaxSlotWalKeepSize.bytes
        let megabytes = (bytes + (1 << 20) - 1) >> 20
        return ByteSize(bytes: megabytes << 20).description
    }
}
