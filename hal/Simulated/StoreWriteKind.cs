namespace PumpFirmware.Hal.Simulated;

/// <summary>The kind of a storage write seen by <see cref="FaultyRecordStore.BeforeWrite"/>.</summary>
public enum StoreWriteKind
{
    /// <summary>Replace a file.</summary>
    Write,
    /// <summary>Append to a file.</summary>
    Append,
    /// <summary>Delete a file.</summary>
    Delete,
}
