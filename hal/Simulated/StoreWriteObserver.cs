namespace PumpFirmware.Hal.Simulated;

/// <summary>Sees a storage write before it is applied.</summary>
/// <param name="index">The write's number (0-based, as counted by <see cref="FaultyRecordStore.WriteCount"/>).</param>
/// <param name="kind">Write, Append or Delete.</param>
/// <param name="fileId">The file.</param>
/// <param name="buffer">The bytes (empty for Delete); valid only during the call.</param>
/// <param name="offset">Start in <paramref name="buffer"/>.</param>
/// <param name="count">Bytes to write.</param>
public delegate void StoreWriteObserver(long index, StoreWriteKind kind, int fileId, byte[] buffer, int offset, int count);
