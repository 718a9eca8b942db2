namespace PumpFirmware.Storage
{
    /// <summary>What <see cref="Journal.Open"/> found in the store.</summary>
    public enum JournalOpenResult
    {
        /// <summary>No snapshot and no journal: a first start (factory state).</summary>
        Empty = 0,

        /// <summary>A valid snapshot was found (and the valid journal records that extend it).</summary>
        Restored = 1,

        /// <summary>Something was stored but no snapshot copy passes its checks: the state is lost.</summary>
        Corrupt = 2,
    }
}
